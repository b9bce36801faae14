import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { Time } from '../../components/Time';

/** "Who has seen this ticket": the staff whose opening of it is in the audit log. */
export function SeenBy({ ticketId }: { ticketId: string }) {
  const viewers = useQuery({
    queryKey: ['tickets', ticketId, 'viewers'],
    queryFn: () => api.audit.viewers(ticketId),
  });
  if (!viewers.data?.length) return null;
  return (
    <section className="panel" aria-label="Seen by">
      <h2>Seen by</h2>
      <ul>
        {viewers.data.map((v) => (
          <li key={v.userId}>
            {v.name ?? 'a former user'} ({v.role}), last <Time at={v.lastSeenAt} />
            {v.times > 1 ? `, ${v.times} visits` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
