import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { Time } from '../../components/Time';

const ACTIONS: Record<string, string> = {
  'ticket.read': 'opened a ticket',
  'attachment.download': 'downloaded a file',
  'mail.read': 'read a mail',
  'report.read': 'read a report',
  'report.export': 'exported a report',
  'data.export': 'exported data',
  'person.export': "exported a person's data",
};

/** For a customer admin: every access by helpdesk staff to the organisation's data. */
export function StaffAccessPage() {
  const entries = useQuery({
    queryKey: ['staff-accesses'],
    queryFn: () => api.audit.staffAccesses(),
  });
  return (
    <section>
      <h1 tabIndex={-1}>Staff access to our data</h1>
      {entries.error && (
        <p className="error" role="alert">
          {(entries.error as Error).message}
        </p>
      )}
      <table aria-label="Staff accesses">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Ticket</th>
          </tr>
        </thead>
        <tbody>
          {entries.data?.map((e) => (
            <tr key={e.id}>
              <td>
                <Time at={e.at} />
              </td>
              <td>
                {e.actorName ?? 'staff'} ({e.actorRole})
              </td>
              <td>{ACTIONS[e.action] ?? e.action}</td>
              <td>{(e.details as { reference?: string } | null)?.reference ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.data?.length === 0 && <p>No staff member has accessed your data yet.</p>}
    </section>
  );
}
