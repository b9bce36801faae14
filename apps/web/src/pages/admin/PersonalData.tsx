import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/endpoints';

/**
 * One person's data, for admins: the export (JSON, or a ZIP with their files) and the anonymisation,
 * which asks for the person's e-mail address again. Both are audited.
 */
export function PersonalDataPage() {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users', 'all'], queryFn: () => api.users.list() });
  const [userId, setUserId] = useState('');
  const [confirm, setConfirm] = useState('');
  const person = users.data?.find((u) => u.id === userId);
  const anonymise = useMutation({
    mutationFn: () => api.privacy.anonymise(userId, confirm),
    onSuccess: () => {
      setConfirm('');
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <section>
      <h1 tabIndex={-1}>Personal data</h1>
      <label>
        Person{' '}
        <select
          value={userId}
          onChange={(e) => {
            setUserId(e.target.value);
            anonymise.reset();
          }}
        >
          <option value="">choose…</option>
          {users.data?.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} — {u.email} ({u.role})
            </option>
          ))}
        </select>
      </label>
      {person && (
        <>
          <section className="panel" aria-label="Export">
            <h2>Export</h2>
            <p>
              Their profile, the tickets they raised with the conversation, the messages and mails
              they wrote, their files and the audit entries about them.
            </p>
            <p>
              <a href={api.privacy.jsonUrl(person.id)} download={`personal-data-${person.id}.json`}>
                Download JSON
              </a>{' '}
              · <a href={api.privacy.zipUrl(person.id)}>Download ZIP (with their files)</a>
            </p>
          </section>
          <section className="panel" aria-label="Anonymise">
            <h2>Anonymise</h2>
            <p>
              Their name and e-mail address are replaced, the text they wrote is redacted, their
              files are deleted and their sessions end. Tickets keep their times, severities,
              targets and outcomes, so reports keep their figures. This cannot be undone.
            </p>
            <label>
              Type their e-mail address to confirm{' '}
              <input
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                autoComplete="off"
              />
            </label>{' '}
            <button
              type="button"
              disabled={
                confirm.trim().toLowerCase() !== person.email.toLowerCase() || anonymise.isPending
              }
              onClick={() => anonymise.mutate()}
            >
              Anonymise {person.name}
            </button>
            {anonymise.error && (
              <p className="error" role="alert">
                {(anonymise.error as Error).message}
              </p>
            )}
            {anonymise.data && (
              <p role="status">
                Anonymised:{' '}
                {Object.entries(anonymise.data.counts)
                  .map(([k, n]) => `${n} ${k}`)
                  .join(', ')}
                .
              </p>
            )}
          </section>
        </>
      )}
    </section>
  );
}
