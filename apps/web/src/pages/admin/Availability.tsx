import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { QuarterlyReport } from '@app/report-figures';
import { api } from '../../api/endpoints';
import type { AvailabilityCorrection, MaintenanceView, OutageView } from '../../api/types';
import { useAuth } from '../../auth';
import { Field, FormErrors, apiFieldErrors } from '../../components/Field';
import { Time } from '../../components/Time';
import { formatDuration, utcToZoned, viewerTimeZone, zonedToUtc } from '../../sla/format';
import { recentQuarters } from '../reports/quarters';

type MaintenanceRow = QuarterlyReport['maintenance'][number];

/** The viewer's zone, and datetime-local text ↔ a UTC ISO instant with Z. */
function useZone() {
  const { user } = useAuth();
  const zone = viewerTimeZone(user?.timeZone);
  const toInstant = (local: string) => {
    const ms = zonedToUtc(local, zone);
    return Number.isNaN(ms) ? local : new Date(ms).toISOString();
  };
  const fromInstant = (iso: string | null) => (iso ? utcToZoned(Date.parse(iso), zone) : '');
  return { zone, toInstant, fromInstant };
}

function useRefresh() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['outages'] });
    void qc.invalidateQueries({ queryKey: ['maintenance-windows'] });
    void qc.invalidateQueries({ queryKey: ['reports'] });
  };
}

const FIELD_NAMES: Record<string, string> = {
  start: 'Start',
  end: 'End',
  restoredAt: 'Restored',
  actualStart: 'Work began',
  actualEnd: 'Work ended',
};

function Corrections({ list }: { list: AvailabilityCorrection[] }) {
  if (!list.length) return <>—</>;
  return (
    <ul className="corrections">
      {list.map((c, i) => (
        <li key={i}>
          {FIELD_NAMES[c.field] ?? c.field}: <Time at={c.from} /> → <Time at={c.to} /> (reason:{' '}
          {c.reason})
        </li>
      ))}
    </ul>
  );
}

/** Corrects one end of an outage or a maintenance window; a reason is required. */
function CorrectForm({
  label,
  fields,
  current,
  save,
}: {
  label: string;
  fields: string[];
  current: Record<string, string | null>;
  save: (body: Record<string, string> & { reason: string }) => Promise<unknown>;
}) {
  const { zone, toInstant, fromInstant } = useZone();
  const refresh = useRefresh();
  const [field, setField] = useState(fields[0]);
  const [at, setAt] = useState(() => fromInstant(current[fields[0]]));
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const run = useMutation({
    mutationFn: () => save({ [field]: toInstant(at), reason: reason.trim() }),
    onSuccess: () => {
      setReason('');
      refresh();
    },
  });
  return (
    <form
      className="stack"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return setMissing(true);
        setMissing(false);
        run.mutate();
      }}
    >
      <Field label="End to correct" errors={apiFieldErrors(run.error, field)}>
        {(p) => (
          <select
            {...p}
            value={field}
            onChange={(e) => {
              setField(e.target.value);
              setAt(fromInstant(current[e.target.value]));
            }}
          >
            {fields.map((f) => (
              <option key={f} value={f}>
                {FIELD_NAMES[f] ?? f}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={`Corrected time (${zone})`}>
        {(p) => (
          <input {...p} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        )}
      </Field>
      <Field
        label="Reason for the correction"
        errors={[
          missing ? 'Give a reason for the correction' : undefined,
          ...apiFieldErrors(run.error, 'reason'),
        ]}
      >
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormErrors error={run.error} fields={[field, 'reason']} />
      <button type="submit" disabled={run.isPending || !at}>
        Save correction
      </button>
    </form>
  );
}

function ruleVerdict(row: MaintenanceRow | undefined): string {
  if (!row) return 'Not in the chosen quarter';
  const why: string[] = [];
  if (!row.noticeMet) why.push('notice not given in time');
  if (row.overCapMinutes > 0) why.push(`${row.overCapMinutes} min over the monthly cap`);
  if (row.downtimeMinutes === 0) return 'Excluded from downtime';
  if (why.length === 0) why.push('outside the announced window');
  return `Counts as downtime: ${row.downtimeMinutes} min (${why.join('; ')})`;
}

function OutageRow({ o }: { o: OutageView }) {
  const [open, setOpen] = useState(false);
  return (
    <tr>
      <th scope="row">{o.reference}</th>
      <td>{o.summary || (o.ticketId ? 'Severity 1 ticket' : '—')}</td>
      <td>{o.organizationId ? 'This organisation' : 'Every organisation'}</td>
      <td>
        <Time at={o.start} />
      </td>
      <td>{o.restoredAt ? <Time at={o.restoredAt} /> : 'Not restored'}</td>
      <td>
        {o.start && o.restoredAt
          ? formatDuration((Date.parse(o.restoredAt) - Date.parse(o.start)) / 1000)
          : '—'}
      </td>
      <td>
        <Corrections list={o.corrections} />
        <button type="button" className="secondary" onClick={() => setOpen(!open)}>
          {open ? 'Close' : `Correct ${o.reference}`}
        </button>
        {open && (
          <CorrectForm
            label={`Correct ${o.reference}`}
            fields={['restoredAt', 'start']}
            current={{ start: o.start, restoredAt: o.restoredAt }}
            save={(body) => api.availability.correctOutage(o.id, body)}
          />
        )}
      </td>
    </tr>
  );
}

function WindowRow({ w, verdict }: { w: MaintenanceView; verdict: string }) {
  const [open, setOpen] = useState(false);
  const overran = w.actualStart !== w.start || w.actualEnd !== w.end;
  return (
    <tr>
      <th scope="row">{w.reference}</th>
      <td>{w.summary || '—'}</td>
      <td>{w.organizationId ? 'This organisation' : 'Every organisation'}</td>
      <td>
        <Time at={w.start} />
      </td>
      <td>
        <Time at={w.end} />
      </td>
      <td>
        <Time at={w.announcedAt} />
      </td>
      <td>
        {overran ? (
          <>
            <Time at={w.actualStart} /> – <Time at={w.actualEnd} />
          </>
        ) : (
          'As announced'
        )}
      </td>
      <td data-testid="maintenance-verdict">{verdict}</td>
      <td>
        <Corrections list={w.corrections} />
        <button type="button" className="secondary" onClick={() => setOpen(!open)}>
          {open ? 'Close' : `Correct ${w.reference}`}
        </button>
        {open && (
          <CorrectForm
            label={`Correct ${w.reference}`}
            fields={['actualEnd', 'end', 'start', 'actualStart']}
            current={{
              start: w.start,
              end: w.end,
              actualStart: w.actualStart,
              actualEnd: w.actualEnd,
            }}
            save={(body) => api.availability.correctWindow(w.id, body)}
          />
        )}
      </td>
    </tr>
  );
}

function NewOutageForm({ organizationId }: { organizationId: string }) {
  const { zone, toInstant } = useZone();
  const refresh = useRefresh();
  const [start, setStart] = useState('');
  const [restoredAt, setRestoredAt] = useState('');
  const [summary, setSummary] = useState('');
  const [everyone, setEveryone] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api.availability.createOutage({
        organizationId: everyone ? null : organizationId,
        start: toInstant(start),
        restoredAt: restoredAt ? toInstant(restoredAt) : null,
        summary: summary.trim(),
      }),
    onSuccess: () => {
      setStart('');
      setRestoredAt('');
      setSummary('');
      refresh();
    },
  });
  return (
    <form
      className="stack panel"
      aria-label="Record an outage"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Record an outage</h2>
      <Field label={`Outage start (${zone})`} errors={apiFieldErrors(save.error, 'start')}>
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        )}
      </Field>
      <Field
        label={`Service restored at (${zone})`}
        hint="Leave empty while the outage lasts."
        errors={apiFieldErrors(save.error, 'restoredAt')}
      >
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={restoredAt}
            onChange={(e) => setRestoredAt(e.target.value)}
          />
        )}
      </Field>
      <Field label="Outage summary" errors={apiFieldErrors(save.error, 'summary')}>
        {(p) => <input {...p} value={summary} onChange={(e) => setSummary(e.target.value)} />}
      </Field>
      <label>
        <input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} />{' '}
        Affects every organisation
      </label>
      <FormErrors error={save.error} fields={['start', 'restoredAt', 'summary']} />
      <button type="submit" disabled={save.isPending || !start}>
        Record outage
      </button>
    </form>
  );
}

function NewWindowForm({ organizationId }: { organizationId: string }) {
  const { zone, toInstant, fromInstant } = useZone();
  const refresh = useRefresh();
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [announcedAt, setAnnouncedAt] = useState(() => fromInstant(new Date().toISOString()));
  const [summary, setSummary] = useState('');
  const [everyone, setEveryone] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api.availability.createWindow({
        organizationId: everyone ? null : organizationId,
        start: toInstant(start),
        end: toInstant(end),
        announcedAt: toInstant(announcedAt),
        summary: summary.trim(),
      }),
    onSuccess: () => {
      setStart('');
      setEnd('');
      setSummary('');
      refresh();
    },
  });
  const fields = ['start', 'end', 'announcedAt', 'summary'];
  return (
    <form
      className="stack panel"
      aria-label="Record a maintenance window"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>Record a maintenance window</h2>
      <Field label={`Window start (${zone})`} errors={apiFieldErrors(save.error, 'start')}>
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        )}
      </Field>
      <Field label={`Window end (${zone})`} errors={apiFieldErrors(save.error, 'end')}>
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        )}
      </Field>
      <Field
        label={`Announced at (${zone})`}
        hint="When the customer was told: the contract may ask for notice in working days."
        errors={apiFieldErrors(save.error, 'announcedAt')}
      >
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={announcedAt}
            onChange={(e) => setAnnouncedAt(e.target.value)}
          />
        )}
      </Field>
      <Field label="Maintenance summary" errors={apiFieldErrors(save.error, 'summary')}>
        {(p) => <input {...p} value={summary} onChange={(e) => setSummary(e.target.value)} />}
      </Field>
      <label>
        <input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} />{' '}
        Affects every organisation
      </label>
      <FormErrors error={save.error} fields={fields} />
      <button type="submit" disabled={save.isPending || !start || !end}>
        Record maintenance window
      </button>
    </form>
  );
}

/** Admins: an organisation's outages and planned maintenance, with their corrections. */
export function AvailabilityPage() {
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: () => api.organisations.list() });
  const quarters = recentQuarters();
  const [chosen, setChosen] = useState('');
  const [quarter, setQuarter] = useState(quarters[0]);
  const organizationId = chosen || orgs.data?.[0]?.id || '';
  const outages = useQuery({
    queryKey: ['outages', organizationId],
    enabled: !!organizationId,
    queryFn: () => api.availability.outages(organizationId),
  });
  const windows = useQuery({
    queryKey: ['maintenance-windows', organizationId],
    enabled: !!organizationId,
    queryFn: () => api.availability.windows(organizationId),
  });
  // The report says whether the contract's notice and monthly cap made a window count as downtime.
  const report = useQuery({
    queryKey: ['reports', 'quarterly', organizationId, quarter],
    enabled: !!organizationId,
    queryFn: () => api.reports.quarterly(organizationId, quarter),
  });
  const verdictOf = (w: MaintenanceView) =>
    report.isLoading
      ? 'Checking…'
      : report.error
        ? 'Report unavailable'
        : ruleVerdict(report.data?.maintenance.find((m) => m.reference === w.reference));
  return (
    <section>
      <h1 tabIndex={-1}>Availability</h1>
      <p>
        Outages and planned maintenance, as the quarterly report reads them. A late or over-cap
        maintenance window counts as downtime. Corrections keep the old time and their reason.
      </p>
      {orgs.error && <p role="alert">{(orgs.error as Error).message}</p>}
      <div className="filters">
        <Field label="Organisation">
          {(p) => (
            <select {...p} value={organizationId} onChange={(e) => setChosen(e.target.value)}>
              {orgs.data?.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Quarter (for the notice and cap check)">
          {(p) => (
            <select {...p} value={quarter} onChange={(e) => setQuarter(e.target.value)}>
              {quarters.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {organizationId && (
        <>
          <h2>Outages</h2>
          {outages.error && <p role="alert">{(outages.error as Error).message}</p>}
          {outages.data?.length === 0 && <p>No outages recorded.</p>}
          {!!outages.data?.length && (
            <table aria-label="Outages">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Summary</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Start</th>
                  <th scope="col">Restored</th>
                  <th scope="col">Downtime</th>
                  <th scope="col">Corrections</th>
                </tr>
              </thead>
              <tbody>
                {outages.data.map((o) => (
                  <OutageRow key={o.id} o={o} />
                ))}
              </tbody>
            </table>
          )}
          <h2>Maintenance windows</h2>
          {windows.error && <p role="alert">{(windows.error as Error).message}</p>}
          {windows.data?.length === 0 && <p>No maintenance windows recorded.</p>}
          {!!windows.data?.length && (
            <table aria-label="Maintenance windows">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Summary</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Start</th>
                  <th scope="col">End</th>
                  <th scope="col">Announced at</th>
                  <th scope="col">Actual work</th>
                  <th scope="col">Notice and cap ({quarter})</th>
                  <th scope="col">Corrections</th>
                </tr>
              </thead>
              <tbody>
                {windows.data.map((w) => (
                  <WindowRow key={w.id} w={w} verdict={verdictOf(w)} />
                ))}
              </tbody>
            </table>
          )}
          <div className="ticket-grid">
            <NewOutageForm organizationId={organizationId} />
            <NewWindowForm organizationId={organizationId} />
          </div>
        </>
      )}
    </section>
  );
}
