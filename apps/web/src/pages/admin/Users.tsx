import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { Role, User } from '../../api/types';
import { displayName } from '../../auth';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';

const ROLES: Array<{ role: Role; label: string }> = [
  { role: 'customer', label: 'Customer' },
  { role: 'customer_admin', label: 'Customer admin' },
  { role: 'agent', label: 'Agent' },
  { role: 'manager', label: 'Manager' },
  { role: 'admin', label: 'Admin' },
];
const FIELDS = [
  'email',
  'name',
  'role',
  'organizationId',
  'supportLevel',
  'securityClearance',
  'password',
];
const staffRole = (r: Role) => r === 'agent' || r === 'manager' || r === 'admin';

function UserForm({ user, onDone }: { user?: User; onDone: () => void }) {
  const client = useQueryClient();
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list });
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'customer');
  const [organizationId, setOrg] = useState(user?.organizationId ?? '');
  const [supportLevel, setLevel] = useState<number>(user?.supportLevel ?? 1);
  const [clearance, setClearance] = useState<boolean>(!!user?.securityClearance);
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const staff = staffRole(role) ? { supportLevel, securityClearance: clearance } : {};
      const secret = password ? { password } : {};
      // The role and organisation are chosen when the user is made; the API does not change them afterwards.
      return user
        ? api.users.update(user.id, { name: name.trim(), ...staff, ...secret })
        : api.users.create({
            email: email.trim(),
            name: name.trim(),
            role,
            ...staff,
            ...secret,
            ...(staffRole(role) ? {} : { organizationId: organizationId || undefined }),
          });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['users'] });
      onDone();
    },
  });
  const err = save.error;
  return (
    <form
      className="stack panel"
      aria-label={user ? `Edit ${displayName(user)}` : 'New user'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{user ? `Edit ${displayName(user)}` : 'New user'}</h2>
      <FormErrors error={err} fields={FIELDS} />
      {!user && (
        <Field label="E-mail address" errors={apiFieldErrors(err, 'email')}>
          {(p) => (
            <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
      )}
      <Field label="Name" errors={apiFieldErrors(err, 'name')}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Role" errors={apiFieldErrors(err, 'role')}>
        {(p) => (
          <select
            {...p}
            value={role}
            disabled={!!user}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {staffRole(role) ? (
        <>
          <Field label="Support level" errors={apiFieldErrors(err, 'supportLevel')}>
            {(p) => (
              <select
                {...p}
                value={supportLevel}
                onChange={(e) => setLevel(Number(e.target.value))}
              >
                <option value={1}>Level 1</option>
                <option value={2}>Level 2</option>
                <option value={3}>Level 3</option>
              </select>
            )}
          </Field>
          <div className="field checkbox">
            <label>
              <input
                type="checkbox"
                checked={clearance}
                onChange={(e) => setClearance(e.target.checked)}
              />{' '}
              Security clearance (may work on OFFICIAL-SENSITIVE tickets)
            </label>
            {apiFieldErrors(err, 'securityClearance').length > 0 && (
              <div className="error" role="alert">
                {apiFieldErrors(err, 'securityClearance').join('; ')}
              </div>
            )}
          </div>
        </>
      ) : (
        <Field label="Organisation" errors={apiFieldErrors(err, 'organizationId')}>
          {(p) => (
            <select
              {...p}
              value={organizationId}
              disabled={!!user}
              onChange={(e) => setOrg(e.target.value)}
            >
              <option value="">Choose an organisation</option>
              {(orgs.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        label={user ? 'New password (leave empty to keep)' : 'Password'}
        errors={apiFieldErrors(err, 'password')}
      >
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {user ? 'Save user' : 'Add user'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function UsersPage() {
  const users = useQuery({ queryKey: ['users', 'all'], queryFn: () => api.users.list() });
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const orgName = (id?: string | null) => orgs.data?.find((o) => o.id === id)?.name ?? '';
  return (
    <section>
      <div className="heading-row">
        <h1 tabIndex={-1}>Users and roles</h1>
        <button type="button" onClick={() => setEditing('new')}>
          New user
        </button>
      </div>
      {editing && (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      )}
      {users.error && (
        <p className="error" role="alert">
          {(users.error as Error).message}
        </p>
      )}
      <table className="tickets">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Organisation or level</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td data-label="Name">{u.name}</td>
              <td data-label="E-mail">{u.email}</td>
              <td data-label="Role">{ROLES.find((r) => r.role === u.role)?.label ?? u.role}</td>
              <td data-label="Organisation or level">
                {staffRole(u.role)
                  ? `Level ${u.supportLevel ?? '—'}${u.securityClearance ? ', cleared' : ''}`
                  : orgName(u.organizationId)}
              </td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEditing(u)}
                  aria-label={`Edit ${displayName(u)}`}
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
