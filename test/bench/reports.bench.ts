/**
 * The quarterly report of an organisation with 100,000 tickets in the quarter: the JSON
 * (GET /api/reports/quarterly) and the PDF (GET /api/reports/quarterly.pdf, the same figures plus
 * pdfkit), each the median of repeated requests to `npm run start:api` in its own process.
 */
import { STANDARD_SUPPORT } from '@app/sla';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { defaultTerms } from '../../libs/reports/src/availability.service';
import { computeReport, quarterPeriod } from '../../libs/reports/src/core';
import { ReportFactsRepository } from '../../libs/reports/src/report-facts.repository';
import { renderReportPdf } from '../../libs/reports/src/render/pdf';
import type { QuarterlyReport } from '../../libs/reports/src/report.types';
import { sql } from '../support/database';
import { ApiProcess, DEMO_PASSWORD, prepareEnvironment } from '../support/harness';
import { ms, percentile } from './stats';

export const title = 'Quarterly report of an organisation with 100,000 tickets';

const TICKETS = Number(process.env.BENCH_REPORT_TICKETS ?? 100_000);
const JSON_RUNS = 7;
const PDF_RUNS = 5;

/**
 * A quarter (2026-Q3) of events for Acme Ltd written straight with SQL: tickets on every channel,
 * their first-response targets (met or breached by the first public staff reply), the reply and some
 * customer messages, status history through resolution and closing, escalations, re-classifications,
 * 3% still open at the end, and 20 restored Severity 1 incidents.
 */
async function fill(
  url: string,
): Promise<{ organizationId: string; rows: Record<string, number> }> {
  const pg = await sql(url);
  try {
    const [org] = (
      await pg.query(`SELECT id, policy_id FROM organizations WHERE name = 'Acme Ltd'`)
    ).rows;
    const users = (await pg.query(`SELECT id, role, organization_id FROM users`)).rows;
    const agent = users.find((u) => u.role === 'agent').id;
    const customer = users.find((u) => u.organization_id === org.id && u.role === 'customer').id;
    await pg.query('BEGIN');
    // Bulk load: no per-row triggers (message numbering, chat notifications); seq is given here.
    await pg.query(`SET LOCAL session_replication_role = replica`);
    await pg.query(
      `CREATE TEMP TABLE bench ON COMMIT DROP AS
       SELECT n, gen_random_uuid() AS id,
              timestamptz '2026-07-01T00:00:00Z' + (interval '88 days') * (n::float8 / $1) AS received,
              CASE WHEN n % 5000 = 0 THEN 1 WHEN n % 3 = 0 THEN 2 ELSE 3 END AS severity,
              (ARRAY['email','web','phone','chat','api'])[1 + n % 5] AS channel,
              CASE WHEN n % 7 = 0 THEN 2 WHEN n % 31 = 0 THEN 3 ELSE 1 END AS level,
              n % 33 = 0 AS still_open,
              (n % 100) < 8 AS breached
         FROM generate_series(1, $1) n`,
      [TICKETS],
    );
    await pg.query(
      `INSERT INTO tickets (id, subject, description, severity, status, support_level, channel, requester_id, organization_id, policy_id, received_at, created_at, updated_at, closed_at)
       SELECT id, 'Bench ticket ' || n, 'Something is wrong.', severity, CASE WHEN still_open THEN 'open' ELSE 'closed' END, level, channel,
              $1, $2, $3, received, received, received + interval '5 days', CASE WHEN still_open THEN NULL ELSE received + interval '4 days' END
         FROM bench`,
      [customer, org.id, org.policy_id],
    );
    await pg.query(
      `INSERT INTO ticket_targets (ticket_id, metric, clock, target_seconds, started_at, due_at, state, stopped_at)
       SELECT id, 'first_response', 'business', 14400, received, received + interval '4 hours',
              CASE WHEN breached THEN 'breached' ELSE 'met' END,
              received + CASE WHEN breached THEN interval '6 hours' ELSE interval '1 minute' * (n % 200) END
         FROM bench`,
    );
    await pg.query(
      `INSERT INTO ticket_messages (ticket_id, author_id, body, visibility, channel, created_at, seq)
       SELECT id, $1::uuid, 'We are on it.', 'public', 'web', received + CASE WHEN breached THEN interval '6 hours' ELSE interval '1 minute' * (n % 200) END, 1 FROM bench
       UNION ALL
       SELECT id, $2::uuid, 'More detail from me.', 'public', 'web', received + interval '1 day', 2 FROM bench WHERE n % 5 = 0`,
      [agent, customer],
    );
    await pg.query(
      `INSERT INTO ticket_history (ticket_id, actor_id, field, old_value, new_value, at)
       SELECT id, $1::uuid, 'status', '"new"'::jsonb, '"open"'::jsonb, received + interval '1 minute' * (n % 200) FROM bench
       UNION ALL
       SELECT id, $1::uuid, 'status', '"open"', '"pending"', received + interval '4 hours' FROM bench WHERE n % 5 = 0
       UNION ALL
       SELECT id, $1::uuid, 'status', '"pending"', '"open"', received + interval '1 day' FROM bench WHERE n % 5 = 0
       UNION ALL
       SELECT id, $1::uuid, 'status', '"open"', '"resolved"', received + interval '2 days' FROM bench WHERE NOT still_open
       UNION ALL
       SELECT id, $1::uuid, 'status', '"resolved"', '"closed"', received + interval '4 days' FROM bench WHERE NOT still_open
       UNION ALL
       SELECT id, $1::uuid, 'supportLevel', '1', to_jsonb(level), received + interval '3 hours' FROM bench WHERE level > 1
       UNION ALL
       SELECT id, $1::uuid, 'severity', '3', '2', received + interval '10 minutes' FROM bench WHERE n % 97 = 0 AND severity = 2`,
      [agent],
    );
    await pg.query(
      `INSERT INTO outages (organization_id, ticket_id, restored_at, summary)
       SELECT $1, id, received + interval '75 minutes', 'Bench incident' FROM bench WHERE severity = 1`,
      [org.id],
    );
    await pg.query('COMMIT');
    await pg.query('ANALYZE');
    const count = async (table: string) =>
      Number((await pg.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const rows: Record<string, number> = {};
    for (const t of ['tickets', 'ticket_targets', 'ticket_messages', 'ticket_history', 'outages'])
      rows[t] = await count(t);
    return { organizationId: org.id, rows };
  } finally {
    await pg.end();
  }
}

async function timed(url: string, token: string): Promise<{ ms: number; bytes: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200)
    throw new Error(`${url}: ${res.status} ${bytes.toString().slice(0, 300)}`);
  return { ms: performance.now() - t0, bytes };
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Where a report's time goes, in this process: loading the events (ReportFactsRepository) and the pure core. */
async function breakdown(url: string, organizationId: string, runs: number) {
  const ds = new DataSource({ type: 'postgres', url });
  await ds.initialize();
  try {
    const repo = new ReportFactsRepository(ds);
    const p = quarterPeriod('2026-Q3', 'UTC');
    const load: number[] = [];
    const core: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const [tickets, outages, maintenance] = await Promise.all([
        repo.tickets(organizationId, p.from, p.to),
        repo.outages(organizationId, p.to),
        repo.maintenance(organizationId, p.from, p.to),
      ]);
      const t1 = performance.now();
      computeReport({
        organizationId,
        quarter: '2026-Q3',
        calendar: STANDARD_SUPPORT.calendar,
        calendars: {},
        terms: defaultTerms(STANDARD_SUPPORT.name),
        asOf: Date.now(),
        tickets,
        outages,
        maintenance,
      });
      load.push(t1 - t0);
      core.push(performance.now() - t1);
    }
    return { load, core };
  } finally {
    await ds.destroy();
  }
}

export async function run(): Promise<string> {
  const h = await prepareEnvironment();
  let api: ApiProcess | undefined;
  try {
    const loadStarted = performance.now();
    const { organizationId, rows } = await fill(h.db.url);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    api = await new ApiProcess({ ...h.env, PORT: '0' }).start();
    const base = `http://127.0.0.1:${api.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'manager@helpdesk.local', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const q = `organizationId=${organizationId}&quarter=2026-Q3`;

    await timed(`${base}/api/reports/quarterly?${q}`, token); // warm-up
    const json: number[] = [];
    let report!: QuarterlyReport;
    for (let i = 0; i < JSON_RUNS; i++) {
      const r = await timed(`${base}/api/reports/quarterly?${q}`, token);
      json.push(r.ms);
      report = JSON.parse(r.bytes.toString());
    }
    await timed(`${base}/api/reports/quarterly.pdf?${q}`, token); // warm-up
    const pdf: number[] = [];
    let pdfBytes = 0;
    for (let i = 0; i < PDF_RUNS; i++) {
      const r = await timed(`${base}/api/reports/quarterly.pdf?${q}`, token);
      pdf.push(r.ms);
      pdfBytes = r.bytes.length;
    }
    const render: number[] = [];
    for (let i = 0; i < PDF_RUNS; i++) {
      const t0 = performance.now();
      await renderReportPdf(report, { organizationName: 'Acme Ltd' });
      render.push(performance.now() - t0);
    }
    const split = await breakdown(h.db.url, organizationId, 3);
    const load = loadavg()[0];
    const fr = report.firstResponse.overall;
    return [
      `One organisation (Acme Ltd, "Standard support", UTC) with ${rows.tickets.toLocaleString('en-GB')} tickets received in 2026-Q3, written with SQL`,
      `(${rows.ticket_targets.toLocaleString('en-GB')} first-response targets, ${rows.ticket_messages.toLocaleString('en-GB')} messages, ${rows.ticket_history.toLocaleString('en-GB')} history rows, ${rows.outages} restored Severity 1 incidents; ${loadSeconds.toFixed(0)} s to load).`,
      `\`npm run start:api\` in its own process, PostgreSQL 15 on the same 2-core machine; each request is timed from this process`,
      `(first request discarded as a warm-up). The report it returns: ${fr.met.toLocaleString('en-GB')} met, ${fr.breached.toLocaleString('en-GB')} breached,`,
      `${report.activity.created.total.toLocaleString('en-GB')} created, ${report.activity.resolved.toLocaleString('en-GB')} resolved, backlog at the end ${report.activity.backlog.end.toLocaleString('en-GB')}.`,
      '',
      '| request | runs | median | min | max | goal |',
      '|---|---|---|---|---|---|',
      `| GET /api/reports/quarterly (JSON) | ${JSON_RUNS} | **${ms(median(json))}** | ${ms(Math.min(...json))} | ${ms(Math.max(...json))} | < 2 s |`,
      `| GET /api/reports/quarterly.pdf (${Math.round(pdfBytes / 1024)} KiB) | ${PDF_RUNS} | **${ms(median(pdf))}** | ${ms(Math.min(...pdf))} | ${ms(Math.max(...pdf))} | < 5 s |`,
      `| the PDF rendering alone (pdfkit, in-process) | ${PDF_RUNS} | ${ms(median(render))} | ${ms(Math.min(...render))} | ${ms(Math.max(...render))} | |`,
      `| loading the events alone (ReportFactsRepository, in-process) | 3 | ${ms(median(split.load))} | ${ms(Math.min(...split.load))} | ${ms(Math.max(...split.load))} | |`,
      `| computing the figures alone (the pure core) | 3 | ${ms(median(split.core))} | ${ms(Math.min(...split.core))} | ${ms(Math.max(...split.core))} | |`,
      '',
      `The 1-minute load average at the end was ${load.toFixed(1)} on 2 cores${load > 2 ? ' (other work was running at the same time: the figures are inflated)' : ''}.`,
    ].join('\n');
  } finally {
    await api?.kill('SIGTERM');
    await h.dispose();
  }
}
