import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { Organisation, Severity } from '../../api/types';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { SEVERITY_MEANINGS } from '../../severity';

const FIELDS = ['name', 'policyId', 'principalUserId', 'emailDomains', 'defaultSeverity'];

function OrganisationForm({ org, onDone }: { org?: Organisation; onDone: () => void }) {
  const client = useQueryClient();
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list });
  const users = useQuery({
    queryKey: ['users', 'org', org?.id],
    queryFn: () => api.users.list(org ? { organizationId: org.id } : {}),
    enabled: !!org,
  });
  const [name, setName] = useState(org?.name ?? '');
  const [policyId, setPolicyId] = useState(org?.policyId ?? '');
  const [principalUserId, setPrincipal] = useState(org?.principalUserId ?? '');
  const [domains, setDomains] = useState((org?.emailDomains ?? []).join(', '));
  const [defaultSeverity, setDefaultSeverity] = useState<Severity>(org?.defaultSeverity ?? 3);
  const save = useMutation({
    mutationFn: () => {
      const emailDomains = domains.split(/[\s,]+/).filter(Boolean);
      return org
        ? api.organisations.update(org.id, {
            name: name.trim(),
            policyId: policyId || undefined,
            emailDomains,
            defaultSeverity,
            ...(principalUserId ? { principalUserId } : {}),
          })
        : api.organisations.create({ name: name.trim(), policyId, emailDomains, defaultSeverity });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['organisations'] });
      onDone();
    },
  });
  const err = save.error;
  const members = (users.data ?? []).filter((u) => !org || u.organizationId === org.id);
  return (
    <form
      className="stack panel"
      aria-label={org ? `Edit ${org.name}` : 'New organisation'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{org ? `Edit ${org.name}` : 'New organisation'}</h2>
      <FormErrors error={err} fields={FIELDS} />
      <Field label="Name" errors={apiFieldErrors(err, 'name')}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="SLA policy" errors={apiFieldErrors(err, 'policyId')}>
        {(p) => (
          <select {...p} value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
            <option value="">Choose a policy</option>
            {(policies.data ?? []).map((pol) => (
              <option key={pol.id} value={pol.id}>
                {pol.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {org && (
        <Field
          label="Principal user (contact for breach notifications)"
          errors={apiFieldErrors(err, 'principalUserId')}
        >
          {(p) => (
            <select {...p} value={principalUserId} onChange={(e) => setPrincipal(e.target.value)}>
              <option value="">None</option>
              {members.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        label="E-mail domains"
        hint="Separated by commas, e.g. example.com, example.org"
        errors={apiFieldErrors(err, 'emailDomains')}
      >
        {(p) => <input {...p} value={domains} onChange={(e) => setDomains(e.target.value)} />}
      </Field>
      <Field
        label="Severity of e-mailed tickets"
        hint="When the subject carries no tag such as [S1]"
        errors={apiFieldErrors(err, 'defaultSeverity')}
      >
        {(p) => (
          <select
            {...p}
            value={defaultSeverity}
            onChange={(e) => setDefaultSeverity(Number(e.target.value) as Severity)}
          >
            {([1, 2, 3] as Severity[]).map((s) => (
              <option key={s} value={s}>
                {SEVERITY_MEANINGS[s].title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {org ? 'Save organisation' : 'Add organisation'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function OrganisationsPage() {
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: api.organisations.list });
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list });
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);
  const policyName = (o: Organisation) =>
    policies.data?.find((p) => p.id === o.policyId)?.name ?? '—';
  return (
    <section>
      <div className="heading-row">
        <h1 tabIndex={-1}>Organisations</h1>
        <button type="button" onClick={() => setEditing('new')}>
          New organisation
        </button>
      </div>
      {editing && (
        <OrganisationForm
          key={editing === 'new' ? 'new' : editing.id}
          org={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      )}
      {orgs.error && (
        <p className="error" role="alert">
          {(orgs.error as Error).message}
        </p>
      )}
      <table className="tickets">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">SLA policy</th>
            <th scope="col">Domains</th>
            <th scope="col">Mail severity</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(orgs.data ?? []).map((o) => (
            <tr key={o.id}>
              <td data-label="Name">{o.name}</td>
              <td data-label="SLA policy">{policyName(o)}</td>
              <td data-label="Domains">{(o.emailDomains ?? []).join(', ')}</td>
              <td data-label="Mail severity">{o.defaultSeverity}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEditing(o)}
                  aria-label={`Edit ${o.name}`}
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
