import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/http';
import { api } from '../../api/endpoints';
import { AttachmentList, FilePicker } from '../../components/Attachments';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Conversation } from '../../components/Conversation';
import { Time } from '../../components/Time';
import { STATUS_NAMES, severityMeaning } from '../../severity';
import { AnswerBy } from './MyTickets';

export function PortalTicketPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const client = useQueryClient();
  const ticket = useQuery({
    queryKey: ['tickets', 'one', id],
    queryFn: () => api.tickets.get(id),
    refetchInterval: 15_000,
  });
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [picker, setPicker] = useState(0);
  const reply = useMutation({
    mutationFn: async () => {
      await api.tickets.reply(
        id,
        { body: body.trim() ? body : undefined, visibility: 'public' },
        files,
      );
    },
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setPicker((n) => n + 1);
      void client.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
  const close = useMutation({
    mutationFn: () => api.tickets.update(id, { status: 'closed' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tickets'] }),
  });

  if (ticket.isLoading) return <p role="status">Loading the ticket…</p>;
  if (ticket.error) {
    const e = ticket.error;
    const missing = e instanceof ApiError && (e.status === 404 || e.status === 403);
    return (
      <section>
        <h1 tabIndex={-1}>{missing ? 'Ticket not found' : 'The ticket could not be loaded'}</h1>
        <p role="alert">
          {missing ? 'There is no ticket at this address that you can see.' : e.message}
        </p>
      </section>
    );
  }
  const t = ticket.data!;
  const open = t.status !== 'closed';
  return (
    <section>
      {(location.state as { created?: boolean } | null)?.created && (
        <p className="notice" role="status">
          Thank you: ticket {t.reference} is raised.
        </p>
      )}
      <h1 tabIndex={-1}>
        {t.reference}: {t.subject}
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{STATUS_NAMES[t.status] ?? t.status}</dd>
        <dt>Severity</dt>
        <dd>
          Severity {t.severity}: {severityMeaning(t.severity)}
        </dd>
        <dt>Received</dt>
        <dd>
          <Time at={t.receivedAt} />
        </dd>
        <dt>Our answer</dt>
        <dd>
          <AnswerBy ticket={t} />
        </dd>
      </dl>
      {(location.state as { attachError?: string | null } | null)?.attachError && (
        <p className="error" role="alert">
          The files were not attached: {(location.state as { attachError: string }).attachError}
        </p>
      )}
      <h2>Conversation</h2>
      <Conversation ticket={t} audience="customer" />
      <AttachmentList ticketId={t.id} />
      {open && (
        <form
          className="stack composer public"
          aria-label="Reply"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim() || files.length) reply.mutate();
          }}
        >
          <FormErrors error={reply.error} fields={['body']} />
          <Field label="Your reply" errors={apiFieldErrors(reply.error, 'body')}>
            {(p) => (
              <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
            )}
          </Field>
          <FilePicker key={picker} id="reply-files" files={files} onChange={setFiles} />
          <div className="actions">
            <button type="submit" disabled={reply.isPending || (!body.trim() && !files.length)}>
              {reply.isPending ? 'Sending…' : 'Send reply'}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={close.isPending}
              onClick={() => {
                if (confirm('Close this ticket? You can raise a new one at any time.'))
                  close.mutate();
              }}
            >
              Close ticket
            </button>
          </div>
          <FormErrors error={close.error} fields={[]} />
        </form>
      )}
      {!open && <p className="notice">This ticket is closed.</p>}
    </section>
  );
}
