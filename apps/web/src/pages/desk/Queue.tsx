import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type TicketFilter } from '../../api/endpoints';
import type { Ticket } from '../../api/types';
import { useUserNames } from '../../components/useUserNames';
import { mainTarget, SlaBadge } from '../../components/SlaBadge';
import { useNow } from '../../components/useNow';
import { STAFF_STATUS_NAMES } from '../../severity';
import { usePolicies } from '../../sla/calendars';

const VIEWS: Array<{ view: TicketFilter['view']; label: string }> = [
  { view: 'breaching', label: 'Breaching soon' },
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'mine', label: 'Mine' },
];
/** The agent's queues, nearest due time first, each row with a live SLA badge. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const view = (params.get('view') ?? 'breaching') as TicketFilter['view'];
  const supportLevel = params.get('supportLevel') ?? '';
  const severity = params.get('severity') ?? '';
  // Every queue comes from the API nearest open due time first (sort=due), a page at a time.
  const filter: TicketFilter = {
    view: view || undefined,
    sort: 'due',
    supportLevel: supportLevel ? Number(supportLevel) : undefined,
    severity: severity ? (Number(severity) as 1 | 2 | 3) : undefined,
  };
  const { calendarOf } = usePolicies();
  const { nameOf } = useUserNames();
  const now = useNow(1000);

  const tickets = useInfiniteQuery({
    queryKey: ['tickets', 'queue', filter],
    queryFn: ({ pageParam }) =>
      api.tickets.list({ ...filter, cursor: pageParam ?? undefined, limit: 100 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });

  const rows = useMemo(() => {
    const all = tickets.data?.pages.flatMap((p) => p.items) ?? [];
    return all.filter((t: Ticket) => t.status !== 'closed' && t.status !== 'resolved');
  }, [tickets.data]);

  const scroller = useRef<HTMLDivElement>(null);
  // Sizes are measured per ticket (rows change order as due times and data change).
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (i) => rows[i].id,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (!tickets.hasNextPage || tickets.isFetchingNextPage) return;
    // Load the next page as the agent scrolls near the end (or when closed tickets left a page short).
    const nearEnd = !last || last.index >= rows.length - 20;
    if (nearEnd) void tickets.fetchNextPage();
  }, [last, rows.length, tickets]);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <section className="queue">
      <h1 tabIndex={-1}>Queues</h1>
      <div className="queue-controls">
        <nav aria-label="Queues">
          <ul className="tabs">
            {VIEWS.map((v) => (
              <li key={v.label}>
                <Link
                  to={`?${new URLSearchParams({ ...Object.fromEntries(params), view: v.view ?? '' })}`}
                  aria-current={view === v.view ? 'page' : undefined}
                >
                  {v.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <label>
          Support level{' '}
          <select value={supportLevel} onChange={(e) => set('supportLevel', e.target.value)}>
            <option value="">All levels</option>
            <option value="1">Level 1</option>
            <option value="2">Level 2</option>
            <option value="3">Level 3</option>
          </select>
        </label>
        <label>
          Severity{' '}
          <select value={severity} onChange={(e) => set('severity', e.target.value)}>
            <option value="">All severities</option>
            <option value="1">Severity 1</option>
            <option value="2">Severity 2</option>
            <option value="3">Severity 3</option>
          </select>
        </label>
      </div>
      <p className="hint" role="status">
        {tickets.isLoading
          ? 'Loading tickets…'
          : `${rows.length}${tickets.hasNextPage ? '+' : ''} open tickets, nearest due time first.`}
      </p>
      {tickets.error && (
        <p className="error" role="alert">
          {(tickets.error as Error).message}
        </p>
      )}
      <div ref={scroller} className="queue-scroll" tabIndex={-1}>
        <ul className="queue-rows" aria-label="Tickets" style={{ height: virtual.getTotalSize() }}>
          {items.map((item) => {
            const t = rows[item.index];
            const target = mainTarget(t.targets);
            return (
              <li
                key={t.id}
                data-index={item.index}
                ref={virtual.measureElement}
                className={`queue-row sev-${t.severity}`}
                style={{ transform: `translateY(${item.start}px)` }}
                aria-setsize={rows.length}
                aria-posinset={item.index + 1}
              >
                <Link to={`/desk/tickets/${t.id}`} className="row-link">
                  <span className="ref">{t.reference}</span>
                  <span className="subject">{t.subject}</span>
                </Link>
                <span className="meta">
                  <span className="sev">Severity {t.severity}</span>
                  {t.kind === 'data_protection_request' && (
                    <span className="tag">Data-protection request</span>
                  )}
                  {t.kind === 'security_incident' && <span className="tag">Security incident</span>}
                  <span>Level {t.supportLevel}</span>
                  <span>{STAFF_STATUS_NAMES[t.status] ?? t.status}</span>
                  <span>{t.organizationName}</span>
                  <span>{t.assigneeId ? nameOf(t.assigneeId, 'Assigned') : 'Unassigned'}</span>
                </span>
                <span className="sla">
                  {target ? <SlaBadge target={target} calendar={calendarOf(t)} now={now} /> : '—'}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
      {tickets.isFetchingNextPage && <p role="status">Loading more…</p>}
    </section>
  );
}
