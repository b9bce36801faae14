import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { METRICS, type Metric, type Severity, type TargetRule, type WarningRule } from '@app/sla';
import { api } from '../../api/endpoints';
import type { CalendarRecord, PolicyRecord } from '../../api/types';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { formatDuration } from '../../sla/format';
import { METRIC_NAMES, severityMeaning } from '../../severity';

type Rules = Record<Severity, TargetRule[]>;
const SEVERITIES: Severity[] = [1, 2, 3];
const DEFAULT_RULES: Rules = {
  1: [{ metric: 'first_response', seconds: 3600, clock: 'business' }],
  2: [{ metric: 'first_response', seconds: 4 * 3600, clock: 'business' }],
  3: [{ metric: 'first_response', seconds: 8 * 3600, clock: 'business' }],
};

type WarningKind = 'default' | 'fraction' | 'before' | 'none';
const WARNING_KINDS: Record<WarningKind, string> = {
  default: 'the policy’s share (below)',
  fraction: '% of the target',
  before: 'min before the due time',
  none: 'no warning',
};
const warningKind = (w: WarningRule | undefined): WarningKind =>
  w === undefined ? 'default' : w === null ? 'none' : 'fraction' in w ? 'fraction' : 'before';
const warningValue = (w: WarningRule | undefined): number =>
  w && 'fraction' in w ? Math.round(w.fraction * 100) : w ? Math.round(w.beforeSeconds / 60) : 0;
function warningOf(kind: WarningKind, value: number): WarningRule | undefined {
  if (kind === 'default') return undefined;
  if (kind === 'none') return null;
  return kind === 'fraction' ? { fraction: value / 100 } : { beforeSeconds: value * 60 };
}
const withWarning = (r: TargetRule, w: WarningRule | undefined): TargetRule => {
  const rest: TargetRule = { metric: r.metric, seconds: r.seconds, clock: r.clock };
  return w === undefined ? rest : { ...rest, warning: w };
};

function rulesOf(p: PolicyRecord | undefined): Rules {
  return p ? (structuredClone(p.document.targets) as Rules) : structuredClone(DEFAULT_RULES);
}

function PolicyEditor({ record, onDone }: { record?: PolicyRecord; onDone: () => void }) {
  const client = useQueryClient();
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: api.calendars.list });
  const doc = record?.document;
  const [name, setName] = useState(record?.name ?? '');
  // The policy follows the chosen calendar (saving the calendar changes the policy's hours); '' keeps its own hours.
  const [calendarId, setCalendarId] = useState(record?.calendarId ?? '');
  const [rules, setRules] = useState<Rules>(() => rulesOf(record));
  const [warning, setWarning] = useState<string>(
    doc?.alarms?.warningFraction === null
      ? ''
      : String(Math.round((doc?.alarms?.warningFraction ?? 0.75) * 100)),
  );
  const [escalate, setEscalate] = useState<boolean>(doc?.escalateOnBreach ?? true);
  const save = useMutation({
    mutationFn: () => {
      const document = {
        name: name.trim(),
        calendar: doc?.calendar,
        targets: rules,
        alarms: { warningFraction: warning === '' ? null : Number(warning) / 100 },
        escalateOnBreach: escalate,
      };
      const body = { document, calendarId: calendarId || null };
      return record ? api.policies.update(record.id, body) : api.policies.create(body);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['policies'] });
      onDone();
    },
  });
  const err = save.error;
  const setRule = (s: Severity, i: number, patch: Partial<TargetRule>) =>
    setRules({ ...rules, [s]: rules[s].map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setWarningOf = (s: Severity, i: number, kind: WarningKind, value: number) =>
    setRules({
      ...rules,
      [s]: rules[s].map((r, j) => (j === i ? withWarning(r, warningOf(kind, value)) : r)),
    });
  const removeRule = (s: Severity, i: number) =>
    setRules({ ...rules, [s]: rules[s].filter((_r, j) => j !== i) });
  const addRule = (s: Severity, metric: Metric) =>
    setRules({ ...rules, [s]: [...rules[s], { metric, seconds: 4 * 3600, clock: 'business' }] });
  return (
    <form
      className="stack panel"
      aria-label={record ? `Edit policy ${record.name}` : 'New policy'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{record ? `Edit policy ${record.name}` : 'New policy'}</h2>
      <FormErrors
        error={err}
        fields={['name', 'calendarId', 'targets', 'alarms', 'escalateOnBreach']}
      />
      <Field label="Name" errors={apiFieldErrors(err, 'name')}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field
        label="Business calendar"
        hint="The policy follows this calendar: when the calendar is saved, new tickets under the policy get the new hours (open tickets keep theirs)."
        errors={apiFieldErrors(err, 'calendarId')}
      >
        {(p) => (
          <select {...p} value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
            <option value="">
              {doc
                ? `Its own hours, following no calendar (${doc.calendar.timeZone})`
                : 'Choose a calendar'}
            </option>
            {(calendars.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {SEVERITIES.map((s) => (
        <fieldset key={s}>
          <legend>Severity {s} targets</legend>
          <p className="hint">{severityMeaning(s)}</p>
          {rules[s].map((r, i) => (
            <div key={i} className="inline">
              <span>{METRIC_NAMES[r.metric] ?? r.metric}</span>
              <Field label="Minutes">
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={1}
                    value={Math.round(r.seconds / 60)}
                    onChange={(e) =>
                      setRule(s, i, { seconds: Math.max(0, Number(e.target.value)) * 60 })
                    }
                  />
                )}
              </Field>
              <Field label="Counted in">
                {(p) => (
                  <select
                    {...p}
                    value={r.clock}
                    onChange={(e) =>
                      setRule(s, i, { clock: e.target.value as TargetRule['clock'] })
                    }
                  >
                    <option value="business">business time</option>
                    <option value="calendar">calendar time (24×7)</option>
                  </select>
                )}
              </Field>
              <span className="hint">= {formatDuration(r.seconds)}</span>
              <Field label="Warning">
                {(p) => (
                  <select
                    {...p}
                    value={warningKind(r.warning)}
                    onChange={(e) => {
                      const kind = e.target.value as WarningKind;
                      setWarningOf(s, i, kind, kind === 'fraction' ? 75 : 30);
                    }}
                  >
                    {Object.entries(WARNING_KINDS).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {(warningKind(r.warning) === 'fraction' || warningKind(r.warning) === 'before') && (
                <Field label="Warning at">
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      min={1}
                      value={warningValue(r.warning)}
                      onChange={(e) =>
                        setWarningOf(s, i, warningKind(r.warning), Number(e.target.value))
                      }
                    />
                  )}
                </Field>
              )}
              <button
                type="button"
                className="secondary"
                aria-label={`Remove ${METRIC_NAMES[r.metric] ?? r.metric} from severity ${s}`}
                onClick={() => removeRule(s, i)}
              >
                Remove
              </button>
            </div>
          ))}
          {METRICS.some((m) => !rules[s].some((r) => r.metric === m)) && (
            <Field label={`Add a target to severity ${s}`}>
              {(p) => (
                <select
                  {...p}
                  value=""
                  onChange={(e) => e.target.value && addRule(s, e.target.value as Metric)}
                >
                  <option value="">Choose…</option>
                  {METRICS.filter((m) => !rules[s].some((r) => r.metric === m)).map((m) => (
                    <option key={m} value={m}>
                      {METRIC_NAMES[m] ?? m}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </fieldset>
      ))}
      {apiFieldErrors(err, 'targets').length > 0 && (
        <p className="error" role="alert">
          {apiFieldErrors(err, 'targets').join('; ')}
        </p>
      )}
      <Field
        label="Warning when this share of a target has passed (%)"
        hint="Empty: no warning alarm."
        errors={apiFieldErrors(err, 'alarms')}
      >
        {(p) => (
          <input
            {...p}
            type="number"
            min={1}
            max={99}
            value={warning}
            onChange={(e) => setWarning(e.target.value)}
          />
        )}
      </Field>
      <div className="field checkbox">
        <label>
          <input
            type="checkbox"
            checked={escalate}
            onChange={(e) => setEscalate(e.target.checked)}
          />{' '}
          A breach raises the ticket's support level by one
        </label>
      </div>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save policy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The stored calendar whose hours the policy holds, or its time zone when none matches. */
function calendarName(p: PolicyRecord, calendars: CalendarRecord[]): string {
  const same = calendars.find(
    (c) => JSON.stringify(c.document) === JSON.stringify(p.document.calendar),
  );
  return same ? `${same.name} (${p.document.calendar.timeZone})` : p.document.calendar.timeZone;
}

export function PoliciesPage() {
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list });
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: api.calendars.list });
  const [editing, setEditing] = useState<PolicyRecord | 'new' | null>(null);
  return (
    <section>
      <div className="heading-row">
        <h1 tabIndex={-1}>SLA policies</h1>
        <button type="button" onClick={() => setEditing('new')}>
          New policy
        </button>
      </div>
      {policies.error && (
        <p className="error" role="alert">
          {(policies.error as Error).message}
        </p>
      )}
      {editing ? (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          record={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      ) : (
        <ul className="cards">
          {(policies.data ?? []).map((p) => {
            const rules = rulesOf(p);
            return (
              <li key={p.id} className="card">
                <h2>{p.name}</h2>
                <p>Calendar: {calendarName(p, calendars.data ?? [])}</p>
                <ul>
                  {SEVERITIES.map((s) => (
                    <li key={s}>
                      Severity {s}:{' '}
                      {rules[s]
                        .map(
                          (r) =>
                            `${METRIC_NAMES[r.metric] ?? r.metric} ${formatDuration(r.seconds)} ${r.clock}${
                              r.warning === null
                                ? ' (no warning)'
                                : r.warning && 'fraction' in r.warning
                                  ? ` (warning at ${Math.round(r.warning.fraction * 100)}%)`
                                  : r.warning
                                    ? ` (warning ${formatDuration(r.warning.beforeSeconds)} before)`
                                    : ''
                            }`,
                        )
                        .join(', ')}
                    </li>
                  ))}
                </ul>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEditing(p)}
                  aria-label={`Edit policy ${p.name}`}
                >
                  Edit
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
