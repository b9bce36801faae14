import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  add,
  CalendarError,
  DEFAULT_CALENDAR,
  parseCalendar,
  parseGovUkBankHolidays,
  WEEKDAYS,
  type CalendarDocument,
  type Interval,
  type Weekday,
} from '@app/business-hours';
import { api } from '../../api/endpoints';
import type { CalendarRecord } from '../../api/types';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { formatInstant, utcToZoned, viewerTimeZone, zonedToUtc } from '../../sla/format';
import { useAuth } from '../../auth';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const UK_SETS = [
  ['uk:england-and-wales', 'England and Wales bank holidays'],
  ['uk:scotland', 'Scotland bank holidays'],
  ['uk:northern-ireland', 'Northern Ireland bank holidays'],
] as const;
/** The contract's first-response targets when no policy is chosen for the preview (§9: 1, 4 and 8 business hours). */
const CONTRACT_SECONDS: Record<number, number> = { 1: 3600, 2: 4 * 3600, 3: 8 * 3600 };

export function documentOf(c: CalendarRecord | undefined): CalendarDocument {
  const doc = c?.document ?? (structuredClone({ ...DEFAULT_CALENDAR }) as CalendarDocument);
  return {
    timeZone: doc.timeZone,
    week: structuredClone(doc.week ?? {}),
    holidays: [...(doc.holidays ?? [])],
    holidaySets: [...(doc.holidaySets ?? [])],
    overrides: structuredClone(doc.overrides ?? {}),
  };
}

function WeekEditor({
  doc,
  onChange,
}: {
  doc: CalendarDocument;
  onChange: (d: CalendarDocument) => void;
}) {
  const setDay = (day: Weekday, intervals: Interval[]) =>
    onChange({ ...doc, week: { ...doc.week, [day]: intervals } });
  return (
    <fieldset className="week">
      <legend>Weekly hours (in the calendar's time zone)</legend>
      {WEEKDAYS.map((day) => {
        const intervals = (doc.week[day] ?? []) as Interval[];
        return (
          <div key={day} className="day" role="group" aria-label={DAY_NAMES[day]}>
            <span className="day-name">{DAY_NAMES[day]}</span>
            {intervals.length === 0 && <span className="closed">Closed</span>}
            {intervals.map(([from, to], i) => (
              <span key={i} className="interval">
                <label>
                  <span className="visually-hidden">
                    {DAY_NAMES[day]} interval {i + 1} opens at
                  </span>
                  <input
                    type="time"
                    value={from}
                    onChange={(e) =>
                      setDay(
                        day,
                        intervals.map((iv, j) =>
                          j === i ? [e.target.value, iv[1]] : iv,
                        ) as Interval[],
                      )
                    }
                  />
                </label>
                –
                <label>
                  <span className="visually-hidden">
                    {DAY_NAMES[day]} interval {i + 1} closes at
                  </span>
                  <input
                    type="time"
                    value={to === '24:00' ? '23:59' : to}
                    onChange={(e) =>
                      setDay(
                        day,
                        intervals.map((iv, j) =>
                          j === i
                            ? [iv[0], e.target.value === '23:59' ? '24:00' : e.target.value]
                            : iv,
                        ) as Interval[],
                      )
                    }
                  />
                </label>
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${DAY_NAMES[day]} interval ${i + 1}`}
                  onClick={() =>
                    setDay(
                      day,
                      intervals.filter((_, j) => j !== i),
                    )
                  }
                >
                  Remove
                </button>
              </span>
            ))}
            <button
              type="button"
              className="link"
              onClick={() => setDay(day, [...intervals, ['09:00', '18:00']])}
              aria-label={`Add hours on ${DAY_NAMES[day]}`}
            >
              Add hours
            </button>
          </div>
        );
      })}
    </fieldset>
  );
}

function HolidayEditor({
  doc,
  onChange,
}: {
  doc: CalendarDocument;
  onChange: (d: CalendarDocument) => void;
}) {
  const [date, setDate] = useState('');
  const [imported, setImported] = useState<Record<
    string,
    Array<{ date: string; title: string }>
  > | null>(null);
  const [division, setDivision] = useState('england-and-wales');
  const [importError, setImportError] = useState<string | null>(null);
  const sets = doc.holidaySets ?? [];
  const holidays = [...(doc.holidays ?? [])].sort();
  const readImport = async (file: File | undefined) => {
    setImportError(null);
    setImported(null);
    if (!file) return;
    try {
      const parsed = parseGovUkBankHolidays(JSON.parse(await file.text()));
      setImported(parsed);
      setDivision(
        Object.keys(parsed).includes('england-and-wales')
          ? 'england-and-wales'
          : Object.keys(parsed)[0],
      );
    } catch (e) {
      setImportError(
        e instanceof SyntaxError ? `The file is not JSON: ${e.message}` : (e as Error).message,
      );
    }
  };
  return (
    <fieldset className="holidays">
      <legend>Holidays</legend>
      {UK_SETS.map(([name, label]) => (
        <label key={name} className="checkbox">
          <input
            type="checkbox"
            checked={sets.includes(name)}
            onChange={(e) =>
              onChange({
                ...doc,
                holidaySets: e.target.checked ? [...sets, name] : sets.filter((s) => s !== name),
              })
            }
          />{' '}
          {label}
        </label>
      ))}
      <Field
        label="Other holiday sets"
        hint='Country codes, e.g. "dk" for Denmark or "de:by" for Bavaria, separated by commas.'
      >
        {(p) => (
          <input
            {...p}
            value={sets.filter((s) => !s.startsWith('uk:')).join(', ')}
            onChange={(e) =>
              onChange({
                ...doc,
                holidaySets: [
                  ...sets.filter((s) => s.startsWith('uk:')),
                  ...e.target.value.split(/[\s,]+/).filter(Boolean),
                ],
              })
            }
          />
        )}
      </Field>
      <h3>Extra closed days</h3>
      {holidays.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul className="holiday-list">
          {holidays.map((h) => (
            <li key={h}>
              {h}{' '}
              <button
                type="button"
                className="link"
                aria-label={`Remove holiday ${h}`}
                onClick={() => onChange({ ...doc, holidays: holidays.filter((x) => x !== h) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline">
        <Field label="Add a closed day">
          {(p) => (
            <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          )}
        </Field>
        <button
          type="button"
          className="secondary"
          disabled={!date}
          onClick={() => {
            onChange({ ...doc, holidays: [...new Set([...holidays, date])].sort() });
            setDate('');
          }}
        >
          Add day
        </button>
      </div>
      <h3>Import GOV.UK bank holidays</h3>
      <Field
        label="bank-holidays.json file"
        hint="The file from https://www.gov.uk/bank-holidays.json"
        errors={[importError ?? undefined]}
      >
        {(p) => (
          <input
            {...p}
            type="file"
            accept="application/json,.json"
            onChange={(e) => void readImport(e.target.files?.[0])}
          />
        )}
      </Field>
      {imported && (
        <div className="inline">
          <Field label="Division">
            {(p) => (
              <select {...p} value={division} onChange={(e) => setDivision(e.target.value)}>
                {Object.keys(imported).map((d) => (
                  <option key={d} value={d}>
                    {d} ({imported[d].length} days)
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button
            type="button"
            onClick={() => {
              onChange({
                ...doc,
                holidays: [
                  ...new Set([...holidays, ...imported[division].map((h) => h.date)]),
                ].sort(),
              });
              setImported(null);
            }}
          >
            Add {imported[division]?.length ?? 0} holidays
          </button>
        </div>
      )}
    </fieldset>
  );
}

function Preview({ doc }: { doc: CalendarDocument }) {
  const { user } = useAuth();
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list });
  const [policyId, setPolicyId] = useState('');
  const [received, setReceived] = useState(() => utcToZoned(Date.now(), doc.timeZone));
  const [severity, setSeverity] = useState(1);
  const policy = policies.data?.find((p) => p.id === policyId)?.document ?? null;
  const first = policy?.targets[severity as 1 | 2 | 3]?.find((t) => t.metric === 'first_response');
  const seconds = first?.seconds ?? CONTRACT_SECONDS[severity];
  const result = useMemo(() => {
    try {
      const cal = parseCalendar(doc);
      const at = zonedToUtc(received, cal.timeZone);
      if (Number.isNaN(at)) return { error: 'Enter the time the ticket was received' };
      const due = first?.clock === 'calendar' ? at + seconds * 1000 : add(cal, at, seconds);
      return { at, due };
    } catch (e) {
      return { error: e instanceof CalendarError ? e.message : (e as Error).message };
    }
  }, [doc, received, seconds, first?.clock]);
  const viewer = viewerTimeZone(user?.timeZone);
  return (
    <fieldset className="preview-box">
      <legend>Preview</legend>
      <div className="inline">
        <Field label={`Received at (${doc.timeZone})`}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={received}
              onChange={(e) => setReceived(e.target.value)}
            />
          )}
        </Field>
        <Field label="Severity">
          {(p) => (
            <select {...p} value={severity} onChange={(e) => setSeverity(Number(e.target.value))}>
              <option value={1}>Severity 1</option>
              <option value={2}>Severity 2</option>
              <option value={3}>Severity 3</option>
            </select>
          )}
        </Field>
        <Field label="Targets of">
          {(p) => (
            <select {...p} value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
              <option value="">The contract (1, 4, 8 business hours)</option>
              {(policies.data ?? []).map((pol) => (
                <option key={pol.id} value={pol.id}>
                  {pol.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <p className="preview-result" role="status" aria-live="polite" data-testid="calendar-preview">
        {'error' in result ? (
          <span className="error">{result.error}</span>
        ) : (
          <>
            Received at {formatInstant(result.at!, doc.timeZone)} with severity {severity} → due at{' '}
            <strong>{formatInstant(result.due!, doc.timeZone)}</strong>
            {viewer !== doc.timeZone && <> ({formatInstant(result.due!, viewer)} your time)</>}
          </>
        )}
      </p>
      <p className="hint">The preview uses the hours on this page, saved or not.</p>
    </fieldset>
  );
}

function CalendarEditor({ record, onDone }: { record?: CalendarRecord; onDone: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(record?.name ?? '');
  const [doc, setDoc] = useState<CalendarDocument>(() => documentOf(record));
  const zones = useMemo(
    () =>
      (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
        'timeZone',
      ) ?? [],
    [],
  );
  const localError = useMemo(() => {
    try {
      parseCalendar(doc);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }, [doc]);
  const policies = useQuery({ queryKey: ['policies'], queryFn: api.policies.list });
  const followers = record
    ? (policies.data ?? []).filter((p) => p.calendarId === record.id).map((p) => p.name)
    : [];
  const save = useMutation({
    mutationFn: () =>
      record
        ? api.calendars.update(record.id, { name: name.trim(), document: doc })
        : api.calendars.create({ name: name.trim(), document: doc }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['calendars'] });
      void client.invalidateQueries({ queryKey: ['policies'] });
      onDone();
    },
  });
  const err = save.error;
  return (
    <form
      className="stack panel calendar-editor"
      aria-label={record ? `Edit calendar ${record.name}` : 'New calendar'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!localError) save.mutate();
      }}
    >
      <h2>{record ? `Edit calendar ${record.name}` : 'New calendar'}</h2>
      <FormErrors
        error={err}
        fields={['name', 'document', 'timeZone', 'week', 'holidays', 'holidaySets']}
      />
      <Field label="Name" errors={apiFieldErrors(err, 'name')}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field
        label="Time zone"
        hint='An IANA name: "UTC" keeps the contract’s GMT all year; "Europe/London" follows UK clocks.'
        errors={[
          ...apiFieldErrors(err, 'timeZone'),
          localError?.startsWith('timeZone') ? localError : undefined,
        ]}
      >
        {(p) => (
          <>
            <input
              {...p}
              list="zones"
              value={doc.timeZone}
              onChange={(e) => setDoc({ ...doc, timeZone: e.target.value })}
            />
            <datalist id="zones">
              {['UTC', ...zones].map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <WeekEditor doc={doc} onChange={setDoc} />
      {localError && !localError.startsWith('timeZone') && (
        <p className="error" role="alert">
          {localError}
        </p>
      )}
      {apiFieldErrors(err, 'week').length > 0 && (
        <p className="error" role="alert">
          {apiFieldErrors(err, 'week').join('; ')}
        </p>
      )}
      <HolidayEditor doc={doc} onChange={setDoc} />
      <Preview doc={doc} />
      <div className="actions">
        <button
          type="submit"
          disabled={save.isPending || !!localError}
          aria-describedby="calendar-save-effect"
        >
          Save calendar
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      <p id="calendar-save-effect" className="hint">
        {followers.length
          ? `Saving changes the due times of new tickets under ${followers.length === 1 ? 'the policy' : 'the policies'} ${followers.join(', ')}. Open tickets keep the due times they have.`
          : 'No policy follows this calendar yet (choose it in a policy). Open tickets always keep the due times they have.'}
      </p>
    </form>
  );
}

export function CalendarsPage() {
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: api.calendars.list });
  const [editing, setEditing] = useState<CalendarRecord | 'new' | null>(null);
  return (
    <section>
      <div className="heading-row">
        <h1 tabIndex={-1}>Calendars</h1>
        <button type="button" onClick={() => setEditing('new')}>
          New calendar
        </button>
      </div>
      <p className="hint">
        A calendar is a time zone, weekly business hours and holidays. SLA targets count only its
        open hours.
      </p>
      {calendars.error && (
        <p className="error" role="alert">
          {(calendars.error as Error).message}
        </p>
      )}
      {editing ? (
        <CalendarEditor
          key={editing === 'new' ? 'new' : editing.id}
          record={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      ) : (
        <ul className="cards">
          {(calendars.data ?? []).map((c) => {
            const d = documentOf(c);
            return (
              <li key={c.id} className="card">
                <h2>{c.name}</h2>
                <p>
                  {d.timeZone} ·{' '}
                  {WEEKDAYS.filter((w) => (d.week[w] ?? []).length)
                    .map((w) => DAY_NAMES[w].slice(0, 3))
                    .join(', ')}{' '}
                  · {(d.week.mon ?? []).map((iv) => iv.join('–')).join(', ') || 'closed Mondays'}
                </p>
                <p>
                  {(d.holidaySets ?? []).join(', ') || 'No holiday sets'}
                  {d.holidays?.length ? ` + ${d.holidays.length} extra days` : ''}
                </p>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setEditing(c)}
                  aria-label={`Edit calendar ${c.name}`}
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
