import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/http';
import { api } from '../../api/endpoints';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Conversation } from '../../components/Conversation';
import { Time } from '../../components/Time';
import { STATUS_NAMES, severityMeaning } from '../../severity';
import { AnswerBy } from './MyTickets';

export function PortalTicketPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const client = useQueryClient();
  const ticket = useQuery({ queryKey: ['tickets', 'one', id], queryFn: () => api.tickets.get(id), refetchInterval: 15_000 });
  const [body, setBody] = useState('');
  const reply = useMutation({
    mutationFn: () => api.tickets.reply(id, { body, visibility: 'public' }),
    onSuccess: () => {
      setBody('');
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
        <p role="alert">{missing ? 'There is no ticket at this address that you can see.' : e.message}</p>
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
        <dd>Severity {t.severity}: {severityMeaning(t.severity)}</dd>
        <dt>Received</dt>
        <dd><Time at={t.receivedAt} /></dd>
        <dt>Our answer</dt>
        <dd><AnswerBy ticket={t} /></dd>
      </dl>
      <h2>Conversation</h2>
      <Conversation ticket={t} audience="customer" />
      {open && (
        <form
          className="stack composer public"
          aria-label="Reply"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) reply.mutate();
          }}
        >
          <FormErrors error={reply.error} fields={['body']} />
          <Field label="Your reply" errors={apiFieldErrors(reply.error, 'body')}>
            {(p) => <textarea {...p} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={reply.isPending || !body.trim()}>
              {reply.isPending ? 'Sending…' : 'Send reply'}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={close.isPending}
              onClick={() => {
                if (confirm('Close this ticket? You can raise a new one at any time.')) close.mutate();
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
