import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ALARMS_KEY } from '../../components/alarm-stream';
import { api } from '../../api/endpoints';
import { Time } from '../../components/Time';
import { METRIC_NAMES } from '../../severity';

export function AlarmsPage() {
  const alarms = useQuery({
    queryKey: ALARMS_KEY,
    queryFn: () => api.alarms(),
    refetchInterval: 60_000,
  });
  const rows = [...(alarms.data ?? [])]
    .sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt))
    .slice(0, 200);
  return (
    <section>
      <h1 tabIndex={-1}>Alarms</h1>
      <p className="hint">
        Warnings fire when most of a target's business time is used; breaches when it is missed. New
        alarms appear here as they fire (the workspace's live alarm stream).
      </p>
      {alarms.error && (
        <p className="error" role="alert">
          {(alarms.error as Error).message}
        </p>
      )}
      {rows.length === 0 && !alarms.isLoading && <p>No alarms have fired.</p>}
      {rows.length > 0 && (
        <table className="tickets">
          <thead>
            <tr>
              <th scope="col">Alarm</th>
              <th scope="col">Ticket</th>
              <th scope="col">Target</th>
              <th scope="col">Due</th>
              <th scope="col">Fired</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr
                key={`${a.ticketId}/${a.metric}/${a.kind}/${a.firedAt}`}
                className={`alarm-${a.kind}`}
              >
                <td data-label="Alarm">
                  <span className={`badge badge-${a.kind === 'breach' ? 'breached' : 'warning'}`}>
                    {a.kind === 'breach' ? 'Breach' : 'Warning'}
                  </span>
                </td>
                <td data-label="Ticket">
                  <Link
                    to={`/desk/tickets/${a.ticketId}`}
                    data-ticket-id={a.ticketId}
                  >{`${a.reference}: ${a.subject}`}</Link>
                </td>
                <td data-label="Target">{METRIC_NAMES[a.metric] ?? a.metric}</td>
                <td data-label="Due">
                  <Time at={a.dueAt} />
                </td>
                <td data-label="Fired">
                  <Time at={a.firedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
