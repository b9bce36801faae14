import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/endpoints';

/** A link to a ticket by id, named by its reference once known (alarms carry only the id). */
export function TicketRef({ id, withSubject = false }: { id: string; withSubject?: boolean }) {
  const ticket = useQuery({ queryKey: ['tickets', 'one', id], queryFn: () => api.tickets.get(id), staleTime: 60_000 });
  const t = ticket.data;
  return (
    <Link to={`/desk/tickets/${id}`} data-ticket-id={id}>
      {t ? `${t.reference}${withSubject ? `: ${t.subject}` : ''}` : 'ticket'}
    </Link>
  );
}
