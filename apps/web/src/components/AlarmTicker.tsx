import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ALARMS_KEY, useAlarmStream } from './alarm-stream';
import { api } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { METRIC_NAMES } from '../severity';
import { Time } from './Time';

const key = (a: Alarm) => `${a.ticketId}/${a.metric}/${a.kind}/${a.firedAt}`;
const POLL_MS = 5000;

/**
 * Alarms appear without reloading: from the server-sent events of GET /api/alarms/stream, or by
 * polling GET /api/alarms every 5 s while the stream is down. Alarms fired since the page opened
 * are announced politely to screen readers and shown until dismissed.
 */
export function AlarmTicker() {
  const client = useQueryClient();
  const opened = useRef(Date.now());
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const mode = useAlarmStream();
  const polling = mode === 'polling';
  const alarms = useQuery({
    queryKey: ALARMS_KEY,
    queryFn: () => api.alarms(),
    refetchInterval: polling ? POLL_MS : false,
    refetchIntervalInBackground: polling,
  });

  // While polling, new alarms also change the queues' badges and order (the stream does this itself).
  const count = alarms.data?.length ?? 0;
  useEffect(() => {
    if (count && polling) void client.invalidateQueries({ queryKey: ['tickets'] });
  }, [count, client, polling]);

  const fresh = (alarms.data ?? [])
    .filter((a) => Date.parse(a.firedAt) >= opened.current - 60_000 && !dismissed.has(key(a)))
    .sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt))
    .slice(0, 3);

  return (
    <section className="alarm-ticker" aria-label="Live alarms" data-mode={mode}>
      <div aria-live="polite" aria-relevant="additions">
        {fresh.map((a) => (
          <div key={key(a)} className={`alarm alarm-${a.kind}`} role="status">
            <strong>{a.kind === 'breach' ? 'Breach' : 'Warning'}:</strong>{' '}
            <Link
              to={`/desk/tickets/${a.ticketId}`}
              data-ticket-id={a.ticketId}
            >{`${a.reference}: ${a.subject}`}</Link>{' '}
            {METRIC_NAMES[a.metric] ?? a.metric} due <Time at={a.dueAt} />
            <button
              type="button"
              className="link"
              aria-label="Dismiss alarm"
              onClick={() => setDismissed(new Set([...dismissed, key(a)]))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
