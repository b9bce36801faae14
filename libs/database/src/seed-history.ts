/**
 * A past quarter of plausible history for both demo customers (`npm run seed`, so `npm start`): tickets
 * on every channel received through 2026-Q3 with their first-response targets met or breached by the
 * first public staff reply, re-classifications, escalations, waits on the customer, resolutions and a
 * few reopenings, a Severity 1 incident with its service restoration, and planned maintenance windows
 * (one announced too late on the Danish terms). A manager sees a full quarterly report at first login.
 * Deterministic (a seeded generator) and written with a few bulk statements; skipped for an
 * organisation that already has tickets in the quarter.
 */
import { add, nextOpen, type CalendarDocument } from '@app/business-hours';
import { DANISH_TERMS, STANDARD_SUPPORT, type SlaPolicy } from '@app/sla';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export const HISTORY_QUARTER = '2026-Q3';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const CHANNELS = ['email', 'web', 'phone', 'chat', 'api'] as const;

interface Customer {
  organization: string;
  policy: SlaPolicy;
  from: number;
  to: number;
  tickets: number;
  requesters: string[];
  incident: { at: string; restoredAfterMinutes: number; subject: string };
  maintenance: { start: string; end: string; announced: string; summary: string }[];
}

const CUSTOMERS: Customer[] = [
  {
    organization: 'Acme Ltd',
    policy: STANDARD_SUPPORT,
    from: Date.parse('2026-07-01T00:00:00Z'),
    to: Date.parse('2026-10-01T00:00:00Z'),
    tickets: 150,
    requesters: ['alice@acme.example', 'carol@acme.example'],
    incident: {
      at: '2026-08-12T10:05:00Z',
      restoredAfterMinutes: 95,
      subject: 'Platform down: nobody can sign in',
    },
    maintenance: [
      {
        start: '2026-07-18T20:00:00Z',
        end: '2026-07-18T23:00:00Z',
        announced: '2026-07-08T09:30:00Z',
        summary: 'Database upgrade',
      },
    ],
  },
  {
    organization: 'Nordisk Kommune',
    policy: DANISH_TERMS,
    from: Date.parse('2026-06-30T22:00:00Z'),
    to: Date.parse('2026-09-30T22:00:00Z'),
    tickets: 110,
    requesters: ['lars@nordisk.example', 'mette@nordisk.example'],
    incident: {
      at: '2026-09-22T07:40:00Z',
      restoredAfterMinutes: 90,
      subject: 'Driftstop: selvbetjening svarer ikke',
    },
    maintenance: [
      {
        start: '2026-08-15T06:00:00Z',
        end: '2026-08-15T10:00:00Z',
        announced: '2026-08-03T08:00:00Z',
        summary: 'Planlagt servicevindue (lørdag)',
      },
      {
        start: '2026-09-08T16:00:00Z',
        end: '2026-09-08T18:00:00Z',
        announced: '2026-09-07T10:00:00Z',
        summary: 'Sikkerhedsopdatering (varslet for sent)',
      },
    ],
  },
];

const SUBJECTS = [
  'Cannot export the monthly invoice list',
  'Password reset mail does not arrive',
  'Report page loads slowly since Monday',
  'Typo on the order confirmation page',
  'How do I add a second administrator?',
  'Search returns no results for names with accents',
  'Upload of a 12 MB file fails',
  'Dashboard figures differ from the CSV export',
  'Request: dark mode for the portal',
  'Session ends after a few minutes',
  'Error 500 when saving a customer record',
  'Documentation link points to an old version',
];

/** A small deterministic generator (mulberry32), so every seeded database tells the same story. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rows {
  tickets: unknown[][];
  targets: unknown[][];
  messages: unknown[][];
  history: unknown[][];
}

export async function seedReportHistory(db: DataSource): Promise<number> {
  const users: { id: string; email: string; role: string }[] = await db.query(
    `SELECT id, email, role FROM users WHERE active`,
  );
  const byEmail = new Map(users.map((u) => [u.email, u.id]));
  const agents = users.filter((u) => u.role === 'agent').map((u) => u.id);
  if (agents.length === 0) return 0;
  let written = 0;
  for (const [index, c] of CUSTOMERS.entries()) {
    const [org] = await db.query(
      `SELECT o.id, o.policy_id FROM organizations o WHERE o.name = $1`,
      [c.organization],
    );
    if (!org) continue;
    const [seen] = await db.query(
      `SELECT 1 FROM tickets WHERE organization_id = $1 AND received_at >= $2 AND received_at < $3 LIMIT 1`,
      [org.id, new Date(c.from), new Date(c.to)],
    );
    if (seen) continue;
    const requesters = c.requesters.map((e) => byEmail.get(e)).filter((id): id is string => !!id);
    if (requesters.length === 0) continue;
    const rows = history(c, org, requesters, agents, generator(20260701 + index));
    await insert(db, rows);
    await incidentAndMaintenance(db, c, org, requesters[0], agents);
    written += rows.tickets.length + 1;
  }
  return written;
}

function history(
  c: Customer,
  org: { id: string; policy_id: string },
  requesters: string[],
  agents: string[],
  random: () => number,
): Rows {
  const cal: CalendarDocument = c.policy.calendar;
  const rows: Rows = { tickets: [], targets: [], messages: [], history: [] };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const span = c.to - c.from - 4 * DAY;
  for (let i = 0; i < c.tickets; i++) {
    const id = randomUUID();
    const channel = CHANNELS[i % CHANNELS.length];
    const roll = random();
    // Severity 1 is an incident (the record of downtime): only the quarter's one outage below.
    let severity = roll < 0.33 ? 2 : 3;
    // In order through the quarter, on the minute. Phone calls and chats come in while the desk is
    // open; mail, web and API at any hour.
    let received = c.from + Math.floor((((i + random()) / c.tickets) * span) / 60_000) * 60_000;
    if (channel === 'phone' || channel === 'chat')
      received = nextOpen(cal, received) + Math.floor(random() * 120) * 60_000;
    const reclassified = i % 37 === 5 && severity === 3;
    const finalSeverity = reclassified ? 2 : severity;
    const target = c.policy.targets[finalSeverity as 2 | 3][0].seconds;
    const due = add(cal, received, target);
    const breachOdds = finalSeverity === 2 ? 0.12 : 0.06;
    const breached = random() < breachOdds;
    const fraction = breached ? 1.15 + random() * 1.8 : 0.1 + random() * 0.85;
    const reply = add(cal, received, Math.round(target * fraction));
    const agent = pick(agents);
    const requester = pick(requesters);
    const sensitive = i % 41 === 7;
    const hist = (
      at: number,
      field: string,
      from: unknown,
      to: unknown,
      actor: string | null,
      reason: string | null = null,
    ) =>
      rows.history.push([
        id,
        actor,
        field,
        JSON.stringify(from),
        JSON.stringify(to),
        reason,
        new Date(at),
      ]);
    if (reclassified) {
      hist(received + 10 * 60_000, 'severity', 3, 2, agent, 'affects the whole team, not cosmetic');
      severity = 2;
    }
    // The last tickets of the quarter stay open: the backlog at its end.
    const open = i >= c.tickets - 6;
    const escalate = random() < 0.1;
    // Most questions are answered at the first contact: that reply resolves the ticket.
    const firstContact = !open && !escalate && random() < 0.92;
    const waits = !firstContact && !escalate && random() < 0.6;
    rows.messages.push([
      id,
      agent,
      firstContact
        ? 'Here is how to do it: … This should solve it; reply if it does not.'
        : 'Thank you for the report. We are looking into it and will update you here.',
      'public',
      channel === 'phone' ? 'phone' : 'web',
      new Date(reply),
    ]);
    hist(reply, 'status', 'new', 'open', agent);
    let t = reply;
    let level = 1;
    if (escalate) {
      level = random() < 0.25 ? 3 : 2;
      t += 30 * 60_000;
      hist(t, 'supportLevel', 1, level, agent, 'needs more investigation');
      // The qualified answer from the next level, mostly within the 4 hours the Danish terms allow.
      t = add(cal, t, Math.round((0.5 + random() * (random() < 0.9 ? 3 : 6)) * 3600));
      rows.messages.push([
        id,
        pick(agents),
        'We have reproduced the problem and are working on a fix.',
        'public',
        'web',
        new Date(t),
      ]);
    }
    if (waits) {
      t = add(cal, t, 1800);
      hist(t, 'status', 'open', 'pending', agent, 'waiting for a screenshot');
      t += 4 * HOUR + Math.floor(random() * 20) * HOUR;
      rows.messages.push([
        id,
        requester,
        'Here is the screenshot you asked for.',
        'public',
        'web',
        new Date(t),
      ]);
      hist(t, 'status', 'pending', 'open', requester);
    }
    let status: string = 'open';
    let closedAt: number | null = null;
    if (!open) {
      let resolved = reply + 2 * 60_000;
      if (!firstContact) {
        const hours = random() < 0.85 ? 0.5 + random() * 6 : 8 + random() * 24;
        resolved = add(cal, t, Math.round(hours * 3600));
        rows.messages.push([
          id,
          agent,
          'This is fixed now; please tell us if you still see it.',
          'public',
          'web',
          new Date(resolved),
        ]);
      }
      hist(resolved, 'status', 'open', 'resolved', agent);
      t = resolved;
      if (i % 29 === 3) {
        t += 2 * DAY;
        rows.messages.push([
          id,
          requester,
          'It happened again this morning.',
          'public',
          'web',
          new Date(t),
        ]);
        hist(t, 'status', 'resolved', 'open', requester, 'customer replied');
        t = add(cal, t, 4 * 3600);
        rows.messages.push([
          id,
          agent,
          'Fixed for good this time: the cache is now cleared on update.',
          'public',
          'web',
          new Date(t),
        ]);
        hist(t, 'status', 'open', 'resolved', agent);
      }
      t += 3 * DAY;
      hist(t, 'status', 'resolved', 'closed', null, 'closed 3 days after resolution');
      status = 'closed';
      closedAt = t;
    }
    rows.tickets.push([
      id,
      `${pick(SUBJECTS)}`,
      'Reported through the ' + channel + ' channel.',
      severity,
      status,
      level,
      channel,
      sensitive,
      requester,
      org.id,
      open ? agent : null,
      org.policy_id,
      new Date(received),
      new Date(t),
      closedAt === null ? null : new Date(closedAt),
    ]);
    rows.targets.push([
      id,
      'first_response',
      'business',
      target,
      new Date(received),
      new Date(due),
      breached ? 'breached' : 'met',
      new Date(reply),
    ]);
  }
  return rows;
}

async function insert(db: DataSource, rows: Rows): Promise<void> {
  const col = (list: unknown[][], i: number) => list.map((r) => r[i]);
  await db.transaction(async (m) => {
    await m.query(
      `INSERT INTO tickets (id, subject, description, severity, status, support_level, channel, sensitive, requester_id, organization_id, assignee_id, policy_id, received_at, created_at, updated_at, closed_at)
       SELECT id, subject, description, severity, status, level, channel, sensitive, requester, org, assignee, policy, received, received, updated, closed
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::smallint[], $7::text[], $8::bool[], $9::uuid[], $10::uuid[], $11::uuid[], $12::uuid[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
           AS x(id, subject, description, severity, status, level, channel, sensitive, requester, org, assignee, policy, received, updated, closed)
        ORDER BY received`,
      Array.from({ length: 15 }, (_, i) => col(rows.tickets, i)),
    );
    await m.query(
      `INSERT INTO ticket_targets (ticket_id, metric, clock, target_seconds, started_at, due_at, state, stopped_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::timestamptz[])`,
      Array.from({ length: 8 }, (_, i) => col(rows.targets, i)),
    );
    await m.query(
      `INSERT INTO ticket_messages (ticket_id, author_id, body, visibility, channel, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) ORDER BY 6`,
      Array.from({ length: 6 }, (_, i) => col(rows.messages, i)),
    );
    await m.query(
      `INSERT INTO ticket_history (ticket_id, actor_id, field, old_value, new_value, reason, at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[], $6::text[], $7::timestamptz[]) ORDER BY 7`,
      Array.from({ length: 7 }, (_, i) => col(rows.history, i)),
    );
  });
}

/** The quarter's Severity 1 incident, restored, and the planned maintenance windows. */
async function incidentAndMaintenance(
  db: DataSource,
  c: Customer,
  org: { id: string; policy_id: string },
  requester: string,
  agents: string[],
): Promise<void> {
  const received = Date.parse(c.incident.at);
  const cal = c.policy.calendar;
  const due = add(cal, received, c.policy.targets[1][0].seconds);
  const reply = received + 20 * 60_000;
  const restored = received + c.incident.restoredAfterMinutes * 60_000;
  const resolved = restored + 30 * 60_000;
  const agent = agents[agents.length - 1];
  const id = randomUUID();
  await db.transaction(async (m) => {
    await m.query(
      `INSERT INTO tickets (id, subject, description, severity, status, support_level, channel, requester_id, organization_id, policy_id, received_at, created_at, updated_at, closed_at)
       VALUES ($1, $2, 'Every user gets an error page after signing in.', 1, 'closed', 3, 'phone', $3, $4, $5, $6, $6, $7, $7)`,
      [
        id,
        c.incident.subject,
        requester,
        org.id,
        org.policy_id,
        new Date(received),
        new Date(resolved + 3 * DAY),
      ],
    );
    await m.query(
      `INSERT INTO ticket_targets (ticket_id, metric, clock, target_seconds, started_at, due_at, state, stopped_at)
       VALUES ($1, 'first_response', 'business', $2, $3, $4, $5, $6)`,
      [
        id,
        c.policy.targets[1][0].seconds,
        new Date(received),
        new Date(due),
        reply <= due ? 'met' : 'breached',
        new Date(reply),
      ],
    );
    await m.query(
      `INSERT INTO ticket_messages (ticket_id, author_id, body, visibility, channel, created_at) VALUES
         ($1, $2, 'We called you back: the platform is down for every user; we are restoring it now.', 'public', 'phone', $3),
         ($1, $2, 'Service is restored. We will send the cause when we know it.', 'public', 'web', $4)`,
      [id, agent, new Date(reply), new Date(restored)],
    );
    const h = (at: number, field: string, from: unknown, to: unknown, reason: string | null) =>
      m.query(
        `INSERT INTO ticket_history (ticket_id, actor_id, field, old_value, new_value, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, agent, field, JSON.stringify(from), JSON.stringify(to), reason, new Date(at)],
      );
    await h(reply, 'status', 'new', 'open', null);
    await h(reply + 60_000, 'supportLevel', 1, 3, 'platform fault: third level');
    await h(restored, 'restoredAt', null, new Date(restored).toISOString(), 'service restored');
    await h(resolved, 'status', 'open', 'resolved', null);
    await h(resolved + 3 * DAY, 'status', 'resolved', 'closed', null);
    await m.query(
      `INSERT INTO outages (organization_id, ticket_id, restored_at, summary, created_by) VALUES ($1, $2, $3, $4, $5)`,
      [org.id, id, new Date(restored), c.incident.subject, agent],
    );
    for (const w of c.maintenance)
      await m.query(
        `INSERT INTO maintenance_windows (organization_id, starts_at, ends_at, announced_at, summary) VALUES ($1, $2, $3, $4, $5)`,
        [org.id, w.start, w.end, w.announced, w.summary],
      );
  });
}
