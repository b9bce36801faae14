import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { FileLink } from './FileLink';
import { Time } from './Time';

/** The API's limits, said before the user picks (the API refuses more with a 413 that says so). */
export const ATTACH_HINT = 'Up to 10 files at once, 10 MB each, 25 MB per ticket.';

const size = (n: number) =>
  n < 1024
    ? `${n} bytes`
    : n < 2 ** 20
      ? `${(n / 1024).toFixed(0)} KB`
      : `${(n / 2 ** 20).toFixed(1)} MB`;

/** A labelled file picker (several files); `onChange` gets the chosen files. */
export function FilePicker({
  id,
  files,
  onChange,
}: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Attach files</label>
      <input
        id={id}
        type="file"
        multiple
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(Array.from(e.target.files ?? []))}
      />
      <div id={`${id}-hint`} className="hint">
        {files.length
          ? `${files.length} chosen: ${files.map((f) => `${f.name} (${size(f.size)})`).join(', ')}. `
          : ''}
        {ATTACH_HINT}
      </div>
    </div>
  );
}

/** The files on a ticket the viewer may see (uploads and every part of its mail), each a download link. */
export function AttachmentList({ ticketId }: { ticketId: string }) {
  const list = useQuery({
    queryKey: ['tickets', 'attachments', ticketId],
    queryFn: () => api.tickets.attachments(ticketId),
  });
  if (list.error)
    return (
      <p className="error" role="alert">
        {(list.error as Error).message}
      </p>
    );
  if (!list.data?.length) return null;
  return (
    <section aria-label="Attachments" className="attachments">
      <h2>Attachments</h2>
      <ul>
        {list.data.map((a) => (
          <li key={a.id}>
            {a.available ? (
              <FileLink ticketId={ticketId} id={a.id} filename={a.filename} />
            ) : (
              <span>{a.filename} (too large to keep)</span>
            )}{' '}
            <span className="hint">
              {size(a.size)}, {a.source === 'email' ? 'by e-mail' : 'uploaded'}{' '}
              <Time at={a.createdAt} />
            </span>
            {a.visibility === 'internal' && (
              <span className="tag tag-internal">Internal: staff only</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
