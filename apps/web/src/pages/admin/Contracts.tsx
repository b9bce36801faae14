import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { DeletionView, Organisation } from '../../api/types';
import { Time } from '../../components/Time';

function ContractRow({ org }: { org: Organisation }) {
  const qc = useQueryClient();
  const contract = useQuery({
    queryKey: ['contract', org.id],
    queryFn: () => api.contracts.get(org.id),
  });
  const [date, setDate] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: string | null) => api.contracts.set(org.id, value),
    onSuccess: (view) => {
      qc.setQueryData(['contract', org.id], view);
      setDate(null);
    },
  });
  const c = contract.data;
  const value = date ?? c?.contractEndsOn ?? '';
  return (
    <tr>
      <th scope="row">{org.name}</th>
      <td>
        <input
          type="date"
          aria-label={`Contract end of ${org.name}`}
          value={value}
          disabled={!!c?.deletion}
          onChange={(e) => setDate(e.target.value)}
        />{' '}
        <button
          type="button"
          disabled={date === null || save.isPending}
          onClick={() => save.mutate(date || null)}
        >
          Save
        </button>
        {save.error && (
          <span className="error" role="alert">
            {' '}
            {(save.error as Error).message}
          </span>
        )}
      </td>
      <td>{c?.deletionStartsOn ?? '—'}</td>
      <td>
        <a href={`/api/admin/organizations/${encodeURIComponent(org.id)}/export.zip`}>
          Export (ZIP)
        </a>
      </td>
      <td>
        {c?.warnings
          .map((w) => `${w.kind === 'contract_end' ? 'end' : 'deletion'} −${w.daysBefore} d`)
          .join(', ') || '—'}
      </td>
    </tr>
  );
}

function Progress({ d }: { d: DeletionView }) {
  const total = Object.values(d.counts).reduce((a, b) => a + b, 0);
  return (
    <tr>
      <th scope="row">{d.organizationName}</th>
      <td>{d.contractEndsOn}</td>
      <td>
        {d.state === 'done' ? (
          <>done</>
        ) : (
          <>
            <progress
              max={d.steps}
              value={d.stepsDone}
              aria-label={`Progress of ${d.organizationName}`}
            />{' '}
            {d.step} ({d.stepsDone}/{d.steps})
          </>
        )}
      </td>
      <td>
        {total} rows:{' '}
        {Object.entries(d.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}
      </td>
      <td>
        <Time at={d.startedAt} />
      </td>
      <td>{d.finishedAt ? <Time at={d.finishedAt} /> : '—'}</td>
      <td className={d.overdue ? 'error' : undefined}>
        {d.completeBy}
        {d.overdue && ' (overdue)'}
      </td>
    </tr>
  );
}

/**
 * Contract ends and the deletion of ended organisations' data: the date per organisation (admins set
 * it), the warnings sent, and each deletion's progress, then its certificate.
 */
export function ContractsPage() {
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: () => api.organisations.list() });
  const deletions = useQuery({
    queryKey: ['deletions'],
    queryFn: () => api.contracts.deletions(),
    refetchInterval: (q) => (q.state.data?.some((d) => d.state === 'running') ? 3000 : false),
  });
  return (
    <section>
      <h1 tabIndex={-1}>Contract ends</h1>
      <p>
        The data of an organisation is deleted 30 days after its contract ends. The admins and its
        customer admins are warned by mail before the end and before the deletion.
      </p>
      <table aria-label="Contracts">
        <thead>
          <tr>
            <th>Organisation</th>
            <th>Contract ends</th>
            <th>Deletion starts</th>
            <th>Data</th>
            <th>Warnings sent</th>
          </tr>
        </thead>
        <tbody>
          {orgs.data?.map((o) => (
            <ContractRow key={o.id} org={o} />
          ))}
        </tbody>
      </table>
      <h2>Deletions</h2>
      {deletions.data?.length === 0 && <p>No organisation's data has been deleted.</p>}
      {!!deletions.data?.length && (
        <table aria-label="Deletions">
          <thead>
            <tr>
              <th>Organisation</th>
              <th>Contract ended</th>
              <th>Progress</th>
              <th>Deleted</th>
              <th>Started</th>
              <th>Finished</th>
              <th>Complete by</th>
            </tr>
          </thead>
          <tbody>
            {deletions.data.map((d) => (
              <Progress key={d.id} d={d} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
