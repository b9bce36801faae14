import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { InboundMail } from '../../api/types';
import { Time } from '../../components/Time';

/**
 * A mail's HTML, as sent, in a frame that may do nothing: `sandbox` with no permission (no scripts,
 * forms, pop-ups or navigation, and an origin of its own), on top of the API's sanitising and the
 * page's Content-Security-Policy, which the frame inherits.
 */
export function MailHtml({ html }: { html: string }) {
  return (
    <iframe
      className="mail-html"
      title="The mail as sent (HTML)"
      sandbox=""
      referrerPolicy="no-referrer"
      srcDoc={html}
    />
  );
}

function MailDetail({ id }: { id: string }) {
  const mail = useQuery({ queryKey: ['mail', 'inbound', id], queryFn: () => api.mail.one(id) });
  if (mail.isLoading) return <p role="status">Loading the mail…</p>;
  if (mail.error)
    return (
      <p className="error" role="alert">
        {(mail.error as Error).message}
      </p>
    );
  const m = mail.data!;
  return (
    <section className="panel" aria-label="The mail">
      <h2>
        {m.restricted
          ? 'Restricted mail (OFFICIAL-SENSITIVE ticket)'
          : (m.subject ?? '(no subject)')}
      </h2>
      <p>
        From {m.from ?? 'unknown'} · <Time at={m.receivedAt} /> · {m.status}
        {m.reason ? ` (${m.reason})` : ''}
      </p>
      {m.html ? <MailHtml html={m.html} /> : m.text && <pre className="mail-text">{m.text}</pre>}
      {m.attachments.length > 0 && (
        <ul aria-label="Parts of the mail">
          {m.attachments.map((a) => (
            <li key={a.id}>
              {a.filename} ({a.contentType}
              {a.inline ? ', inline' : ''})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Inbound mail for admins: the review list first, each mail with its text or sandboxed HTML. */
export function MailPage() {
  const [status, setStatus] = useState<InboundMail['status'] | ''>('review');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['mail', 'inbound', status],
    queryFn: () => api.mail.inbound(status || undefined),
  });
  return (
    <section>
      <h1 tabIndex={-1}>Inbound mail</h1>
      <label>
        Show{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="review">for review</option>
          <option value="filed">filed</option>
          <option value="ignored">ignored</option>
          <option value="">all</option>
        </select>
      </label>
      {list.error && (
        <p className="error" role="alert">
          {(list.error as Error).message}
        </p>
      )}
      <ul className="mail-list">
        {list.data?.map((m) => (
          <li key={m.id}>
            <button type="button" className="link" onClick={() => setOpen(m.id)}>
              {m.restricted ? 'Restricted mail' : (m.subject ?? '(no subject)')}
            </button>{' '}
            <span className="hint">
              {m.from ?? 'unknown sender'} · <Time at={m.receivedAt} /> · {m.status}
            </span>
          </li>
        ))}
      </ul>
      {list.data?.length === 0 && <p>No mail here.</p>}
      {open && <MailDetail key={open} id={open} />}
    </section>
  );
}
