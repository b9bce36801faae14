import type { HistoryEntry, Ticket } from '../../api/types';
import { displayName } from '../../auth';
import { Time } from '../../components/Time';

function describe(h: HistoryEntry): string {
  if (h.summary) return h.summary;
  const what = h.field ?? h.kind ?? h.type ?? 'change';
  const fmt = (v: unknown) => (v === null || v === undefined ? 'nothing' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const change = h.from !== undefined || h.to !== undefined ? `: ${fmt(h.from)} → ${fmt(h.to)}` : '';
  return `${what.replace(/_/g, ' ')}${change}${h.reason ? ` (reason: ${h.reason})` : ''}`;
}

export function History({ ticket }: { ticket: Ticket }) {
  const entries = [...(ticket.history ?? [])].sort((a, b) => Date.parse(a.at ?? a.createdAt ?? '') - Date.parse(b.at ?? b.createdAt ?? ''));
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {entries.length === 0 ? (
        <p>No changes yet.</p>
      ) : (
        <ol className="history">
          {entries.map((h, i) => (
            <li key={h.id ?? i}>
              <Time at={h.at ?? h.createdAt} /> · {h.actorName ?? (h.actor ? displayName(h.actor) : 'system')}: {describe(h)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
