import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import type { Ticket } from '../../api/types';
import { useAuth } from '../../auth';
import { Time } from '../../components/Time';
import { STATUS_NAMES } from '../../severity';
import { viewerTimeZone } from '../../sla/format';

/** "We will answer by …" while the first response is due; what happened once it is not. */
export function AnswerBy({ ticket }: { ticket: Ticket }) {
  const first = ticket.targets?.find((t) => t.metric === 'first_response');
  if (!first) return <span>—</span>;
  if (first.state === 'met')
    return (
      <span className="badge badge-met" data-tone="met">
        Answered in time (target met)
      </span>
    );
  if (ticket.status === 'closed' || ticket.status === 'resolved') return <span>—</span>;
  if (first.state === 'breached')
    return (
      <span>
        We are late: we should have answered by <Time at={first.dueAt} />
      </span>
    );
  return (
    <span>
      We will answer by <Time at={first.dueAt} />
    </span>
  );
}

export function MyTicketsPage() {
  const { user } = useAuth();
  const tickets = useQuery({
    queryKey: ['tickets', 'portal'],
    queryFn: () => api.tickets.list({ limit: 100 }),
    refetchInterval: 30_000,
  });
  const mine = user?.role === 'customer_admin' ? "Our organisation's tickets" : 'My tickets';
  return (
    <section>
      <div className="heading-row">
        <h1 tabIndex={-1}>{mine}</h1>
        <Link className="button" to="/portal/new">
          Raise a ticket
        </Link>
      </div>
      <p className="hint">Times are shown in your time zone, {viewerTimeZone(user?.timeZone)}.</p>
      {tickets.isLoading && <p role="status">Loading your tickets…</p>}
      {tickets.error && (
        <p className="error" role="alert">
          {(tickets.error as Error).message}
        </p>
      )}
      {tickets.data && tickets.data.items.length === 0 && <p>You have no tickets yet.</p>}
      {tickets.data && tickets.data.items.length > 0 && (
        <table className="tickets">
          <caption className="visually-hidden">{mine}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Subject</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Our answer</th>
            </tr>
          </thead>
          <tbody>
            {[...tickets.data.items]
              .sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt))
              .map((t) => (
                <tr key={t.id}>
                  <td data-label="Ticket">
                    <Link to={`/portal/tickets/${t.id}`}>{t.reference}</Link>
                  </td>
                  <td data-label="Subject">{t.subject ?? <em>restricted</em>}</td>
                  <td data-label="Severity">Severity {t.severity}</td>
                  <td data-label="Status">{STATUS_NAMES[t.status] ?? t.status}</td>
                  <td data-label="Our answer">
                    <AnswerBy ticket={t} />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
