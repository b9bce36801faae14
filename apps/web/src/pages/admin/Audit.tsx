import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, type AuditQuery } from '../../api/endpoints';
import type { AuditEntry } from '../../api/types';
import { Time } from '../../components/Time';
import { useAuth } from '../../auth';

/** A date input's day as the start of that day in UTC (the API takes instants). */
const startOf = (day: string) => (day ? `${day}T00:00:00Z` : undefined);
const dayAfter = (day: string) =>
  day ? new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString() : undefined;

function what(e: AuditEntry): string {
  const d = e.details as { changes?: Record<string, unknown>; reference?: string } | null;
  if (d?.reference) return d.reference;
  if (d?.changes) return `changed: ${Object.keys(d.changes).join(', ') || 'nothing'}`;
  return '';
}

/** Admins search the audit log (who, what, object, organisation, period), export it and verify its chain. */
export function AuditPage() {
  const [form, setForm] = useState({
    action: '',
    objectId: '',
    actorId: '',
    organizationId: '',
    from: '',
    to: '',
  });
  const [query, setQuery] = useState<AuditQuery>({});
  const users = useQuery({ queryKey: ['users', 'all'], queryFn: () => api.users.list() });
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: () => api.organisations.list() });
  const entries = useQuery({ queryKey: ['audit', query], queryFn: () => api.audit.search(query) });
  const verify = useMutation({ mutationFn: () => api.audit.verify() });
  // Managers search; exporting and checking the chain are for admins.
  const isAdmin = useAuth().user?.role === 'admin';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({
      action: form.action || undefined,
      objectId: form.objectId || undefined,
      actorId: form.actorId || undefined,
      organizationId: form.organizationId || undefined,
      from: startOf(form.from),
      to: dayAfter(form.to),
    });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <section>
      <h1 tabIndex={-1}>Audit log</h1>
      <form onSubmit={submit} className="filters" aria-label="Search the audit log">
        <label>
          Who{' '}
          <select value={form.actorId} onChange={set('actorId')}>
            <option value="">anyone</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
          </select>
        </label>
        <label>
          Action{' '}
          <input
            value={form.action}
            onChange={set('action')}
            placeholder="ticket.read, auth, user"
          />
        </label>
        <label>
          Object id <input value={form.objectId} onChange={set('objectId')} />
        </label>
        <label>
          Organisation{' '}
          <select value={form.organizationId} onChange={set('organizationId')}>
            <option value="">any</option>
            {orgs.data?.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" value={form.from} onChange={set('from')} />
        </label>
        <label>
          To <input type="date" value={form.to} onChange={set('to')} />
        </label>
        <button type="submit">Search</button>
      </form>
      {isAdmin && (
        <p>
          <a href={api.audit.exportUrl(query, 'csv')} download>
            Export CSV
          </a>{' '}
          ·{' '}
          <a href={api.audit.exportUrl(query, 'json')} download>
            Export JSON
          </a>{' '}
          ·{' '}
          <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
            Verify the chain
          </button>
        </p>
      )}
      {verify.data && (
        <p role="status" className={verify.data.ok ? 'ok' : 'error'}>
          {verify.data.ok
            ? `The chain holds: ${verify.data.checked} entries checked (${verify.data.purged} removed by retention, their links kept).`
            : `Broken at entry ${verify.data.brokenAt}: ${verify.data.problem}.`}
        </p>
      )}
      {entries.error && (
        <p className="error" role="alert">
          {(entries.error as Error).message}
        </p>
      )}
      <table aria-label="Audit entries">
        <thead>
          <tr>
            <th>When (your time)</th>
            <th>Who</th>
            <th>Role</th>
            <th>Address</th>
            <th>Action</th>
            <th>Object</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.data?.map((e) => (
            <tr key={e.id}>
              <td>
                <Time at={e.at} />
              </td>
              <td>{e.actorName ?? (e.actorId ? e.actorId.slice(0, 8) : 'system')}</td>
              <td>{e.actorRole ?? ''}</td>
              <td>{e.clientAddress ?? ''}</td>
              <td>{e.action}</td>
              <td>{e.objectType ? `${e.objectType} ${e.objectId?.slice(0, 36) ?? ''}` : ''}</td>
              <td>{what(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.data?.length === 0 && <p>No entries match.</p>}
    </section>
  );
}
