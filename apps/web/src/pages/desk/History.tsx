import type { ReactNode } from 'react';
import type { HistoryEntry, Ticket } from '../../api/types';
import { Time } from '../../components/Time';

const FIELD_NAMES: Record<string, string> = {
  severity: 'Severity',
  status: 'Status',
  assigneeId: 'Assignee',
  assignee_id: 'Assignee',
  supportLevel: 'Support level',
  support_level: 'Support level',
  clock: 'SLA clock',
  restoredAt: 'Service restored at',
  start: 'Incident start',
};

/** History fields whose values are UTC instants: shown in the viewer's zone. */
const INSTANT_FIELDS = new Set(['restoredAt', 'start']);

function value(
  h: HistoryEntry,
  v: unknown,
  nameOf: (id: string | null, fallback?: string) => string,
): ReactNode {
  if (v === null || v === undefined) return h.field.startsWith('assignee') ? 'nobody' : 'nothing';
  if (h.field.startsWith('assignee') && typeof v === 'string') return nameOf(v, 'an agent');
  if (INSTANT_FIELDS.has(h.field) && typeof v === 'string') return <Time at={v} />;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function created(v: unknown): string {
  const c = (v ?? {}) as { severity?: number; channel?: string };
  return `raised the ticket${c.severity ? ` with severity ${c.severity}` : ''}${c.channel ? ` (${c.channel})` : ''}`;
}

/** Every change to the ticket, oldest first, with who made it and why. */
export function History({
  ticket,
  nameOf,
}: {
  ticket: Ticket;
  nameOf: (id: string | null, fallback?: string) => string;
}) {
  const actor = (h: HistoryEntry) =>
    !h.actorId
      ? 'system'
      : h.actorId === ticket.requesterId
        ? ticket.requesterEmail
        : nameOf(h.actorId, 'staff');
  const entries = [...(ticket.history ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {entries.length === 0 ? (
        <p>No changes yet.</p>
      ) : (
        <ol className="history">
          {entries.map((h, i) => (
            <li key={i}>
              <Time at={h.at} /> · {actor(h)}:{' '}
              {h.field === 'created' ? (
                created(h.newValue)
              ) : (
                <>
                  {FIELD_NAMES[h.field] ?? h.field.replace(/_/g, ' ')}{' '}
                  {h.oldValue !== undefined && h.oldValue !== null ? (
                    <>{value(h, h.oldValue, nameOf)} → </>
                  ) : (
                    ''
                  )}
                  {value(h, h.newValue, nameOf)}
                </>
              )}
              {h.reason ? ` (reason: ${h.reason})` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
