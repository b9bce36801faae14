import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { TicketRef } from './TicketRef';
import { api } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { METRIC_NAMES } from '../severity';
import { Time } from './Time';

const key = (a: Alarm) => `${a.ticketId}/${a.metric}/${a.kind}/${a.firedAt}`;
const POLL_MS = 5000;

/**
 * Alarms appear without reloading. The API offers no event stream (yet), so the workspace polls
 * GET /api/alarms every 5 s (also in a background tab); alarms fired since the page opened are
 * announced politely to screen readers and shown until dismissed.
 */
export function AlarmTicker() {
  const client = useQueryClient();
  const opened = useRef(Date.now());
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const alarms = useQuery({ queryKey: ['alarms', 'all'], queryFn: () => api.alarms(), refetchInterval: POLL_MS, refetchIntervalInBackground: true });

  // New alarms also change the queues' badges and order.
  const count = alarms.data?.length ?? 0;
  useEffect(() => {
    if (count) void client.invalidateQueries({ queryKey: ['tickets'] });
  }, [count, client]);

  const fresh = (alarms.data ?? [])
    .filter((a) => Date.parse(a.firedAt) >= opened.current - 60_000 && !dismissed.has(key(a)))
    .sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt))
    .slice(0, 3);

  return (
    <section className="alarm-ticker" aria-label="Live alarms" data-mode="polling">
      <div aria-live="polite" aria-relevant="additions">
        {fresh.map((a) => (
          <div key={key(a)} className={`alarm alarm-${a.kind}`} role="status">
            <strong>{a.kind === 'breach' ? 'Breach' : 'Warning'}:</strong>{' '}
            <TicketRef id={a.ticketId} withSubject /> {METRIC_NAMES[a.metric] ?? a.metric} due <Time at={a.dueAt} />
            <button type="button" className="link" aria-label="Dismiss alarm" onClick={() => setDismissed(new Set([...dismissed, key(a)]))}>
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
