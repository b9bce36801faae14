import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  reportFigures,
  type IssuedReport,
  type QuarterlyReport,
  type ReportWithMonths,
  type Table,
} from '@app/report-figures';
import { api } from '../../api/endpoints';
import type { ReportRevision } from '../../api/types';
import { useAuth } from '../../auth';
import { Time } from '../../components/Time';
import { AvailabilityChart, BacklogChart, ChannelChart, FirstResponseChart } from './ReportCharts';
import { recentQuarters } from './quarters';

function FigureTable({ t }: { t: Table }) {
  return (
    <section className="panel report-table" aria-label={t.title}>
      <h2>{t.title}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {t.head.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.length === 0 && (
              <tr>
                <td colSpan={t.head.length}>none</td>
              </tr>
            )}
            {t.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {c}
                    </th>
                  ) : (
                    <td key={j}>{c}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Downloads({
  report,
  revisions,
}: {
  report: QuarterlyReport;
  revisions: ReportRevision[];
}) {
  const q = new URLSearchParams({ organizationId: report.organizationId, quarter: report.quarter });
  return (
    <section className="panel" aria-label="Downloads">
      <h2>Downloads</h2>
      <div className="actions">
        <a className="button secondary-link" href={`/api/reports/quarterly.pdf?${q}`} download>
          PDF of the live figures (draft)
        </a>
      </div>
      {revisions.length === 0 ? (
        <p className="hint">
          No revision of {report.quarter} has been issued yet; CSV files come with an issued
          revision.
        </p>
      ) : (
        <ul className="report-revisions" aria-label="Issued revisions">
          {revisions.map((r) => (
            <li key={r.id}>
              Revision {r.revision}, issued <Time at={r.issuedAt} />
              {r.changes > 0 ? ` (${r.changes} figures changed)` : ''}:{' '}
              <a href={`/api/reports/${r.id}.pdf`} download>
                PDF
              </a>{' '}
              ·{' '}
              <a href={`/api/reports/${r.id}.csv.zip`} download>
                CSV files (zip)
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Admins: how each organisation's quarterly report was mailed, failures with their error. */
function Deliveries({ organizationId }: { organizationId: string }) {
  const list = useQuery({
    queryKey: ['reports', 'deliveries'],
    queryFn: () => api.reports.deliveries(),
  });
  const rows = (list.data ?? []).filter((d) => d.organizationId === organizationId);
  return (
    <section className="panel report-table" aria-label="Deliveries by mail">
      <h2>Deliveries by mail</h2>
      {list.error && (
        <p className="error" role="alert">
          {(list.error as Error).message}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="hint">
          No quarterly delivery yet: each report is issued and mailed on the first business day
          after its quarter.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">quarter</th>
              <th scope="col">status</th>
              <th scope="col">revision</th>
              <th scope="col">recipients</th>
              <th scope="col">attempts</th>
              <th scope="col">sent</th>
              <th scope="col">last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} className={d.status === 'failed' ? 'delivery-failed' : undefined}>
                <th scope="row">{d.quarter}</th>
                <td>{d.status}</td>
                <td>{d.revision ?? '—'}</td>
                <td>{d.recipients.join(', ') || '—'}</td>
                <td>{d.attempts}</td>
                <td>
                  <Time at={d.sentAt} />
                </td>
                <td>{d.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Quarterly incident and activity reports: managers and admins for every organisation, a customer admin for their own. */
export function ReportsPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const quarters = useMemo(() => recentQuarters(), []);
  const orgs = useQuery({ queryKey: ['organisations'], queryFn: () => api.organisations.list() });
  const organizationId =
    params.get('organizationId') ?? user?.organizationId ?? orgs.data?.[0]?.id ?? '';
  const quarter = params.get('quarter') ?? quarters[1]!;
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set('organizationId', organizationId);
    next.set('quarter', quarter);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const report = useQuery({
    queryKey: ['reports', 'quarterly', organizationId, quarter],
    queryFn: () => api.reports.quarterly(organizationId, quarter),
    enabled: Boolean(organizationId),
  });
  const revisions = useQuery({
    queryKey: ['reports', 'revisions', organizationId, quarter],
    queryFn: () => api.reports.revisions(organizationId, quarter),
    enabled: Boolean(organizationId),
  });
  const [issued, setIssued] = useState<IssuedReport | null>(null);
  const queryClient = useQueryClient();
  const issue = useMutation({
    mutationFn: () => api.reports.issue({ organizationId, quarter }),
    onSuccess: (r) => {
      setIssued(r);
      void queryClient.invalidateQueries({ queryKey: ['reports', 'revisions'] });
    },
  });
  const orgName = orgs.data?.find((o) => o.id === organizationId)?.name;
  const figures = useMemo(
    () => (report.data ? reportFigures(report.data as ReportWithMonths, orgName) : null),
    [report.data, orgName],
  );
  const canIssue = user?.role === 'manager' || user?.role === 'admin';
  const shownIssued =
    issued && issued.organizationId === organizationId && issued.quarter === quarter
      ? issued
      : null;

  return (
    <section className="reports">
      <h1 tabIndex={-1}>Quarterly reports</h1>
      <div className="inline report-picker">
        <label className="field">
          <span>Organisation</span>
          <select
            value={organizationId}
            onChange={(e) => choose('organizationId', e.target.value)}
            disabled={(orgs.data?.length ?? 0) < 2}
          >
            {orgs.data?.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Quarter</span>
          <select value={quarter} onChange={(e) => choose('quarter', e.target.value)}>
            {quarters.map((q, i) => (
              <option key={q} value={q}>
                {q}
                {i === 0 ? ' (running)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {report.isLoading && <p role="status">Loading the report…</p>}
      {report.error && (
        <p className="error banner" role="alert">
          {(report.error as Error).message}
        </p>
      )}
      {figures && report.data && (
        <>
          <div className="heading-row">
            <div>
              <h2 className="report-title">{figures.title}</h2>
              <p className="hint">
                {figures.period} · {figures.status}
              </p>
            </div>
            {canIssue && (
              <button type="button" onClick={() => issue.mutate()} disabled={issue.isPending}>
                {issue.isPending ? 'Issuing…' : 'Issue a revision'}
              </button>
            )}
          </div>
          {issue.error && (
            <p className="error banner" role="alert">
              {(issue.error as Error).message}
            </p>
          )}
          {shownIssued && (
            <div className="notice" role="status">
              Issued revision {shownIssued.revision} (checksum {shownIssued.checksum.slice(0, 12)}…)
              {shownIssued.changes.length > 0 && (
                <ul aria-label="What changed">
                  {shownIssued.changes.map((c) => (
                    <li key={c.path}>
                      {c.path}: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <Downloads report={report.data} revisions={revisions.data ?? []} />
          {user?.role === 'admin' && <Deliveries organizationId={organizationId} />}
          <ul className="report-tiles" aria-label="Figures against their targets">
            {figures.tiles.map((t) => (
              <li key={t.key} className={`report-tile rag-${t.rag}`} data-rag={t.rag}>
                <span className="tile-label">{t.label}</span>
                <strong className="tile-value">{t.value}</strong>
                <span className="tile-target">
                  {t.target} · <span className="rag-word">{t.rag === 'none' ? 'n/a' : t.rag}</span>
                </span>
                <span className="tile-detail">{t.detail}</span>
              </li>
            ))}
          </ul>
          <div className="report-charts">
            <section className="panel" aria-label="First response chart">
              <h2>First response: met and breached per severity [1]</h2>
              <FirstResponseChart f={figures} />
            </section>
            <section className="panel" aria-label="Availability chart">
              <h2>Availability per month against the goal [4]</h2>
              <AvailabilityChart f={figures} />
            </section>
            <section className="panel" aria-label="Channel chart">
              <h2>Volume by channel [2]</h2>
              <ChannelChart f={figures} />
            </section>
            <section className="panel" aria-label="Backlog chart">
              <h2>Backlog age at the end of the period [3]</h2>
              <BacklogChart f={figures} />
            </section>
          </div>
          {figures.tables.map((t) => (
            <FigureTable key={t.title} t={t} />
          ))}
          <section className="panel" aria-label="Definitions">
            <h2>Definitions</h2>
            <dl className="report-definitions">
              {figures.definitions.map((d) => (
                <div key={d.mark}>
                  <dt>{d.mark}</dt>
                  <dd>{d.text}</dd>
                </div>
              ))}
            </dl>
          </section>
        </>
      )}
    </section>
  );
}
