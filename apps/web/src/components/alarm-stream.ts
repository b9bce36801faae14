import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Alarm } from '../api/types';

export type AlarmMode = 'connecting' | 'stream' | 'polling';
export const ALARMS_KEY = ['alarms', 'all'] as const;

/**
 * Keeps the ['alarms', 'all'] query live from GET /api/alarms/stream (server-sent events): each alarm
 * is put at the top of the cached list at once. While the stream is down (EventSource retries by
 * itself) the mode is 'polling' and callers poll GET /api/alarms; when it is back, the list is
 * re-read once so that nothing fired in the gap is missed.
 */
export function useAlarmStream(): AlarmMode {
  const client = useQueryClient();
  const [mode, setMode] = useState<AlarmMode>(
    typeof EventSource === 'undefined' ? 'polling' : 'connecting',
  );
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/alarms/stream', { withCredentials: true });
    let lost = false;
    source.addEventListener('open', () => {
      setMode('stream');
      if (lost) void client.invalidateQueries({ queryKey: ALARMS_KEY });
      lost = false;
    });
    source.addEventListener('error', () => {
      lost = true;
      setMode('polling');
    });
    source.addEventListener('alarm', (e) => {
      const alarm = JSON.parse((e as MessageEvent<string>).data) as Alarm;
      client.setQueryData<Alarm[]>(ALARMS_KEY, (list) =>
        list?.some((a) => a.id === alarm.id) ? list : [alarm, ...(list ?? [])],
      );
      // A new alarm also changes the queues' badges and order.
      void client.invalidateQueries({ queryKey: ['tickets'] });
    });
    return () => source.close();
  }, [client]);
  return mode;
}
