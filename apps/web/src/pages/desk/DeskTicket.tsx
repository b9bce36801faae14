import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ApiError } from '../../api/http';
import { api } from '../../api/endpoints';
import { useUserNames } from '../../components/useUserNames';
import { Conversation } from '../../components/Conversation';
import { SlaBadge } from '../../components/SlaBadge';
import { Time } from '../../components/Time';
import { useNow } from '../../components/useNow';
import { METRIC_NAMES, STAFF_STATUS_NAMES, severityMeaning } from '../../severity';
import { usePolicies } from '../../sla/calendars';
import { explainTarget, type Metric, type Severity } from '@app/sla';
import { AttachmentList } from '../../components/Attachments';
import { Composer } from './Composer';
import { AssignForm, EscalateForm, ReclassifyForm, StatusForm } from './TicketActions';
import { History } from './History';
import { SeenBy } from './SeenBy';

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
          <ul className="targets">
            {t.targets.map((target) => {
              let steps: string[] = [];
              if (policy) {
                try {
                  steps = explainTarget(
                    policy,
                    t.severity as Severity,
                    target.metric as Metric,
                    Date.parse(t.receivedAt),
                  ).steps;
                } catch {
                  steps = [];
                }
              }
              return (
                <li key={target.metric} className="target">
                  <div>
                    <strong>{METRIC_NAMES[target.metric] ?? target.metric}</strong>: due{' '}
                    <Time at={target.dueAt} />
                    {target.warningAt && (
                      <>
                        {' '}
                        (warning at <Time at={target.warningAt} />)
                      </>
                    )}
                  </div>
                  <SlaBadge target={target} calendar={calendar} now={now} />
                  <details>
                    <summary>Why this due time?</summary>
                    {steps.length ? (
                      <ol className="explanation">
                        {steps.map((s, i) => (
                          <li key={i}>{s}</li>
                        ))}
                      </ol>
                    ) : (
                      <p>
                        Counted from receipt, <Time at={t.receivedAt} />, in business time of the
                        customer's policy.
                      </p>
                    )}
                  </details>
                </li>
              );
            })}
          </ul>
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
          <History ticket={t} nameOf={nameOf} />
          <SeenBy ticketId={t.id} />
        </aside>
      </div>
    </section>
  );
}
