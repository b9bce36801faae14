import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import type { OrganisationSecurity, Role, TwoFactorRow } from '../../api/types';
import { useAuth } from '../../auth';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Time } from '../../components/Time';

const ROLE_LABELS: Record<Role, string> = {
  customer: 'Customers',
  customer_admin: 'Customer admins',
  agent: 'Agents',
  manager: 'Managers',
  admin: 'Admins',
};

/** Admins: the roles whose users must have 2FA. */
function RequiredRoles() {
  const client = useQueryClient();
  const roles = useQuery({ queryKey: ['two-factor-roles'], queryFn: api.security.roles });
  const [chosen, setChosen] = useState<Role[] | null>(null);
  const current = chosen ?? roles.data?.roles ?? [];
  const save = useMutation({
    mutationFn: () => api.security.setRoles(current),
    onSuccess: () => {
      setChosen(null);
      void client.invalidateQueries({ queryKey: ['two-factor-roles'] });
      void client.invalidateQueries({ queryKey: ['two-factor-overview'] });
    },
  });
  return (
    <form
      className="panel stack"
      aria-label="Two-factor authentication required for roles"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Required for roles</h2>
      <FormErrors error={save.error} fields={[]} />
      <fieldset>
        <legend>Users of these roles must set up two-factor authentication</legend>
        {(Object.keys(ROLE_LABELS) as Role[]).map((r) => (
          <label key={r} className="checkbox">
            <input
              type="checkbox"
              checked={current.includes(r)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...current, r] : current.filter((x) => x !== r))
              }
            />{' '}
            {ROLE_LABELS[r]}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save required roles
        </button>
        {save.isSuccess && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}

const numberOrNull = (s: string) => (s.trim() === '' ? null : Number(s));

/** One organisation's rules: 2FA for all its users, stricter session time-outs. */
function OrganisationRules({ organizationId }: { organizationId: string }) {
  const client = useQueryClient();
  const rules = useQuery({
    queryKey: ['organisation-security', organizationId],
    queryFn: () => api.security.organisation(organizationId),
  });
  const [form, setForm] = useState<{ require: boolean; idle: string; max: string } | null>(null);
  useEffect(() => setForm(null), [organizationId]);
  const from = (r?: OrganisationSecurity) => ({
    require: !!r?.requireTwoFactor,
    idle: r?.sessionIdleMinutes?.toString() ?? '',
    max: r?.sessionMaxHours?.toString() ?? '',
  });
  const f = form ?? from(rules.data);
  const save = useMutation({
    mutationFn: () =>
      api.security.setOrganisation(organizationId, {
        requireTwoFactor: f.require,
        sessionIdleMinutes: numberOrNull(f.idle),
        sessionMaxHours: numberOrNull(f.max),
      }),
    onSuccess: () => {
      setForm(null);
      void client.invalidateQueries({ queryKey: ['organisation-security', organizationId] });
      void client.invalidateQueries({ queryKey: ['two-factor-overview'] });
    },
  });
  return (
    <form
      className="stack"
      aria-label="Organisation security"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <FormErrors error={save.error} fields={['sessionIdleMinutes', 'sessionMaxHours']} />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={f.require}
          onChange={(e) => setForm({ ...f, require: e.target.checked })}
        />{' '}
        Every user of this organisation must set up two-factor authentication
      </label>
      <Field
        label="Idle time-out (minutes)"
        hint="Empty: the role's (8 hours for customers). Only a shorter one takes effect."
        errors={apiFieldErrors(save.error, 'sessionIdleMinutes')}
      >
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={f.idle}
            onChange={(e) => setForm({ ...f, idle: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Longest session (hours)"
        hint="Empty: the role's (7 days for customers)."
        errors={apiFieldErrors(save.error, 'sessionMaxHours')}
      >
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={f.max}
            onChange={(e) => setForm({ ...f, max: e.target.value })}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save organisation rules
        </button>
        {save.isSuccess && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}

function OrganisationSection() {
  const { user } = useAuth();
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list });
  const [chosen, setChosen] = useState('');
  const id = user?.role === 'customer_admin' ? user.organizationId! : chosen;
  return (
    <section className="panel" aria-labelledby="org-rules-heading">
      <h2 id="org-rules-heading">Organisation rules</h2>
      {user?.role === 'admin' && (
        <Field label="Organisation">
          {(p) => (
            <select {...p} value={chosen} onChange={(e) => setChosen(e.target.value)}>
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
      {id && <OrganisationRules organizationId={id} />}
    </section>
  );
}

function Overview() {
  const { user } = useAuth();
  const client = useQueryClient();
  const rows = useQuery({ queryKey: ['two-factor-overview'], queryFn: api.security.overview });
  const reset = useMutation({
    mutationFn: (r: TwoFactorRow) => api.security.resetTwoFactor(r.userId),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['two-factor-overview'] }),
  });
  const endSessions = useMutation({
    mutationFn: (r: TwoFactorRow) => api.security.endSessions(r.userId),
  });
  const list = rows.data ?? [];
  const on = list.filter((r) => r.enabled).length;
  return (
    <section className="panel" aria-labelledby="who-heading">
      <div className="heading-row">
        <h2 id="who-heading">Who has two-factor authentication</h2>
        <a href={api.security.exportUrl} download="two-factor.csv">
          Export as CSV
        </a>
      </div>
      <p role="status">
        {on} of {list.length} users have it.
      </p>
      <FormErrors error={rows.error ?? reset.error ?? endSessions.error} fields={[]} />
      {endSessions.isSuccess && (
        <p className="notice" role="status">
          {endSessions.data.ended} sessions ended.
        </p>
      )}
      <table className="tickets" aria-label="Two-factor authentication by user">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Organisation</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Required</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.userId}>
              <td>{r.name}</td>
              <td>{r.email}</td>
              <td>{r.role.replace('_', ' ')}</td>
              <td>{r.organizationName ?? '—'}</td>
              <td>
                {r.enabled ? (
                  <>
                    Authenticator app since <Time at={r.since} />
                  </>
                ) : (
                  'Off'
                )}
              </td>
              <td>{r.required ? 'Yes' : 'No'}</td>
              <td>
                {user?.role === 'admin' && r.enabled && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      if (confirm(`Reset two-factor authentication of ${r.email}?`))
                        reset.mutate(r);
                    }}
                  >
                    Reset 2FA
                  </button>
                )}{' '}
                <button type="button" className="link" onClick={() => endSessions.mutate(r)}>
                  End sessions
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Admins and customer admins: who has 2FA, who must, and the organisation's session rules. */
export function TwoFactorAdminPage() {
  const { user } = useAuth();
  return (
    <section>
      <h1 tabIndex={-1}>Two-factor authentication</h1>
      {user?.role === 'admin' && <RequiredRoles />}
      <OrganisationSection />
      <Overview />
    </section>
  );
}
