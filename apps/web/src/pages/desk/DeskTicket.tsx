import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ApiError } from '../../api/http';
import { api } from '../../api/endpoints';
import { useUserNames } from '../../components/useUserNames';
import { Conversation } from '../../components/Conversation';
import { Time } from '../../components/Time';
import { useNow } from '../../components/useNow';
import { KIND_NAMES, METRIC_NAMES, STAFF_STATUS_NAMES, severityMeaning } from '../../severity';
import { usePolicies } from '../../sla/calendars';
import { AttachmentList } from '../../components/Attachments';
import { Composer } from './Composer';
import {
  AssignForm,
  EscalateForm,
  ReclassifyForm,
  RestorationForm,
  StatusForm,
} from './TicketActions';
import { History } from './History';
import { SeenBy } from './SeenBy';
import { TargetList } from './Targets';

export function DeskTicketPage() {
  const { id = '' } = useParams();
  const ticket = useQuery({
    queryKey: ['tickets', 'one', id],
    queryFn: () => api.tickets.get(id),
    refetchInterval: 15_000,
  });
  const alarms = useQuery({
    queryKey: ['alarms', id],
    queryFn: () => api.alarms(id),
    refetchInterval: 10_000,
  });
  const { policyOf } = usePolicies();
  const { nameOf } = useUserNames();
  const policy = policyOf(ticket.data);
  const now = useNow(1000);

  if (ticket.isLoading) return <p role="status">Loading the ticket…</p>;
  if (ticket.error) {
    const e = ticket.error;
    return (
      <section>
        <h1 tabIndex={-1}>
          {e instanceof ApiError && e.status === 404
            ? 'Ticket not found'
            : 'The ticket could not be loaded'}
        </h1>
        <p role="alert">{e.message}</p>
      </section>
    );
  }
  const t = ticket.data!;
  const calendar = policy?.calendar ?? null;
  const restricted = t.restricted;
  return (
    <section className="ticket-page">
      <h1 tabIndex={-1}>
        {t.reference}: {t.restricted ? 'Restricted ticket' : t.subject}
      </h1>
      {restricted && (
        <p className="notice warning" role="note">
          This ticket involves OFFICIAL-SENSITIVE data. Only staff with security clearance see its
          content and may work on it.
        </p>
      )}
      {t.sensitive && !restricted && (
        <p className="notice warning" role="note">
          OFFICIAL-SENSITIVE: you see this content because you hold security clearance.
        </p>
      )}
      <div className="ticket-grid">
        <div>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{STAFF_STATUS_NAMES[t.status] ?? t.status}</dd>
            <dt>Severity</dt>
            <dd>
              Severity {t.severity}: {severityMeaning(t.severity)}
            </dd>
            {t.kind && t.kind !== 'standard' && (
              <>
                <dt>Kind</dt>
                <dd>{KIND_NAMES[t.kind] ?? t.kind}</dd>
              </>
            )}
            <dt>Support level</dt>
            <dd>Level {t.supportLevel}</dd>
            <dt>Customer</dt>
            <dd>
              {t.organizationName} · {t.requesterEmail}
            </dd>
            <dt>Assignee</dt>
            <dd>{t.assigneeId ? nameOf(t.assigneeId, 'Assigned') : 'Unassigned'}</dd>
            <dt>Received</dt>
            <dd>
              <Time at={t.receivedAt} /> via {t.channel ?? 'web'}
            </dd>
          </dl>
          <h2>Targets</h2>
          <TargetList ticket={t} policy={policy ?? null} calendar={calendar} now={now} />
          {alarms.data && alarms.data.length > 0 && (
            <>
              <h2>Alarms</h2>
              <ul>
                {alarms.data.map((a) => (
                  <li
                    key={`${a.metric}/${a.kind}/${a.firedAt}`}
                    className={`alarm alarm-${a.kind}`}
                  >
                    {a.kind === 'breach' ? 'Breach' : 'Warning'}:{' '}
                    {METRIC_NAMES[a.metric] ?? a.metric} due <Time at={a.dueAt} />, fired{' '}
                    <Time at={a.firedAt} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Conversation</h2>
          <Conversation ticket={t} audience="staff" />
          {!restricted && <AttachmentList ticketId={t.id} />}
          {t.status !== 'closed' && !restricted && <Composer ticketId={t.id} />}
        </div>
        <aside aria-label="Work on this ticket" className="actions-panel">
          {/* Without clearance: hand the ticket on (assign, escalate), never work on it. */}
          {!restricted && (
            <ReclassifyForm key={`severity-${t.severity}`} ticket={t} policy={policy} />
          )}
          <AssignForm key={`assignee-${t.assigneeId}`} ticket={t} />
          <EscalateForm key={`level-${t.supportLevel}`} ticket={t} />
          {!restricted && <StatusForm key={`status-${t.status}`} ticket={t} />}
          {!restricted && t.severity === 1 && <RestorationForm ticket={t} />}
          <History ticket={t} nameOf={nameOf} />
          <SeenBy ticketId={t.id} />
        </aside>
      </div>
    </section>
  );
}
