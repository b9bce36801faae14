import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import type { Severity, TicketKind } from '../../api/types';
import { useAuth } from '../../auth';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { KIND_NAMES, SEVERITY_MEANINGS } from '../../severity';
import { utcToZoned, viewerTimeZone, zonedToUtc } from '../../sla/format';

const FIELDS = [
  'requesterEmail',
  'subject',
  'description',
  'severity',
  'receivedAt',
  'sensitive',
  'kind',
];

/** An agent logs a phone call as a ticket, with the time of the call (the clock starts then). */
export function LogCallPage() {
  const { user } = useAuth();
  const zone = viewerTimeZone(user?.timeZone);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [requesterEmail, setRequester] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<Severity>(3);
  const [sensitive, setSensitive] = useState(false);
  const [kind, setKind] = useState<TicketKind>('standard');
  const [receivedAt, setReceivedAt] = useState(() => utcToZoned(Date.now(), zone));
  const create = useMutation({
    mutationFn: () => {
      const at = zonedToUtc(receivedAt, zone);
      return api.tickets.create({
        requesterEmail: requesterEmail.trim(),
        subject: subject.trim(),
        description,
        severity,
        sensitive,
        kind,
        channel: 'phone',
        receivedAt: Number.isNaN(at) ? receivedAt : new Date(at).toISOString(),
      });
    },
    onSuccess: (t) => {
      void client.invalidateQueries({ queryKey: ['tickets'] });
      navigate(`/desk/tickets/${t.id}`);
    },
  });
  const err = create.error;
  return (
    <section>
      <h1 tabIndex={-1}>Log a phone call</h1>
      <form
        className="stack panel"
        aria-label="Log a phone call"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <FormErrors error={err} fields={FIELDS} />
        <Field
          label="Caller's e-mail address"
          hint="A registered user of the customer."
          errors={apiFieldErrors(err, 'requesterEmail')}
        >
          {(p) => (
            <input
              {...p}
              type="email"
              value={requesterEmail}
              onChange={(e) => setRequester(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={`Time of the call (${zone})`}
          hint="The response clock starts at this time."
          errors={apiFieldErrors(err, 'receivedAt')}
        >
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={receivedAt}
              onChange={(e) => setReceivedAt(e.target.value)}
            />
          )}
        </Field>
        <Field label="Subject" errors={apiFieldErrors(err, 'subject')}>
          {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} />}
        </Field>
        <Field label="What the caller said" errors={apiFieldErrors(err, 'description')}>
          {(p) => (
            <textarea
              {...p}
              rows={5}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Severity"
          hint={
            SEVERITY_MEANINGS[severity].before +
            (SEVERITY_MEANINGS[severity].emphasis ?? '') +
            (SEVERITY_MEANINGS[severity].after ?? '')
          }
          errors={apiFieldErrors(err, 'severity')}
        >
          {(p) => (
            <select
              {...p}
              value={severity}
              onChange={(e) => setSeverity(Number(e.target.value) as Severity)}
            >
              <option value={1}>Severity 1</option>
              <option value={2}>Severity 2</option>
              <option value={3}>Severity 3</option>
            </select>
          )}
        </Field>
        <Field
          label="Kind"
          hint="A data-protection request must be resolved within one month; a security incident told to the customer within 24 hours (calendar time)."
          errors={apiFieldErrors(err, 'kind')}
        >
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as TicketKind)}>
              {Object.entries(KIND_NAMES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field checkbox">
          <label>
            <input
              type="checkbox"
              checked={sensitive}
              onChange={(e) => setSensitive(e.target.checked)}
            />{' '}
            The problem involves <strong>OFFICIAL-SENSITIVE</strong> data
          </label>
        </div>
        <button type="submit" disabled={create.isPending}>
          Log the call as a ticket
        </button>
      </form>
    </section>
  );
}
