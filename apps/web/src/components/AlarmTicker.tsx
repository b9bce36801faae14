import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { METRIC_NAMES } from '../severity';
import { Time } from './Time';

const key = (a: Alarm) => `${a.ticketId}/${a.metric}/${a.kind}/${a.firedAt}`;
const POLL_MS = 5000;

/**
 * Alarms appear without reloading. The API streams them as server-sent events at
 * /api/alarms/stream when it offers that; otherwise (or when the stream drops) we poll
 * GET /api/alarms every 5 s. Alarms fired since this page opened are announced politely.
 */
export function AlarmTicker() {
  const client = useQueryClient();
  const [streaming, setStreaming] = useState(false);
  const opened = useRef(Date.now());
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/alarms/stream', { withCredentials: true });
    es.onopen = () => setStreaming(true);
    es.onmessage = () => void client.invalidateQueries({ queryKey: ['alarms'] });
    es.addEventListener('alarm', () => void client.invalidateQueries({ queryKey: ['alarms'] }));
    es.onerror = () => {
      setStreaming(false);
      es.close();
    };
    return () => es.close();
  }, [client]);

  const alarms = useQuery({ queryKey: ['alarms', 'all'], queryFn: () => api.alarms(), refetchInterval: streaming ? false : POLL_MS });

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
    <section className="alarm-ticker" aria-label="Live alarms" data-mode={streaming ? 'stream' : 'polling'}>
      <div aria-live="polite" aria-relevant="additions">
        {fresh.map((a) => (
          <div key={key(a)} className={`alarm alarm-${a.kind}`} role="status">
            <strong>{a.kind === 'breach' ? 'Breach' : 'Warning'}:</strong>{' '}
            <Link to={`/desk/tickets/${a.ticketId}`}>{a.reference ?? 'ticket'}</Link> {METRIC_NAMES[a.metric] ?? a.metric} due <Time at={a.dueAt} />
            <button type="button" className="link" aria-label="Dismiss alarm" onClick={() => setDismissed(new Set([...dismissed, key(a)]))}>
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
