// Quarterly reports end to end: a quarter of tickets with known times built through the API (staff-
// logged tickets with past receipt times, replies, a re-classification, an escalation, resolutions, a
// reopening, incidents with restoration, an outage, a maintenance window with an overrun), then
// every figure of the JSON; an issued revision, a correction and the new revision that says what
// changed; the CSV files carry the same figures; a customer admin of another organisation gets 404.
// The policy's calendar is open 24×7 (UTC), so business minutes are the minutes between the times.
jest.setTimeout(120_000);
import { unzipSync, strFromU8 } from 'fflate';
import { customerOn, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';

const MIN = 60_000;
const all: [string, string][] = [['00:00', '24:00']];
const policy = {
  name: 'Reports 24x7',
  calendar: {
    timeZone: 'UTC',
    week: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
  },
  targets: {
    '1': [{ metric: 'first_response', seconds: 3600, clock: 'business' }],
    '2': [{ metric: 'first_response', seconds: 14400, clock: 'business' }],
    '3': [{ metric: 'first_response', seconds: 28800, clock: 'business' }],
  },
  alarms: { warningFraction: 0.75 },
  escalateOnBreach: false,
};

describe('quarterly reports', () => {
  let h: Harness;
  let admin: string;
  let agent: string;
  let manager: string;
  let otherAdmin: string;
  let ownAdmin: string;
  let org: Awaited<ReturnType<typeof customerOn>>;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  // Every time is relative to T, taken once; the API writes replies and changes at "now", a few
  // seconds after T, which rounds away in whole minutes.
  const T = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const ago = (minutes: number) => iso(T - minutes * MIN);
  const month = iso(T).slice(0, 7);
  const q = `${iso(T).slice(0, 4)}-Q${Math.floor(new Date(T).getUTCMonth() / 3) + 1}`;
  const qStart = Date.UTC(
    new Date(T).getUTCFullYear(),
    Math.floor(new Date(T).getUTCMonth() / 3) * 3,
    1,
  );
  const tickets: Record<string, string> = {};

  const ticket = async (key: string, body: Record<string, unknown>) => {
    const res = await h.http
      .post('/api/tickets')
      .set(auth(agent))
      .send({ subject: `ticket ${key}`, description: 'x', requesterEmail: org.email, ...body })
      .expect(201);
    tickets[key] = res.body.id;
    return res.body;
  };
  const reply = (key: string) =>
    h.http
      .post(`/api/tickets/${tickets[key]}/messages`)
      .set(auth(agent))
      .send({ body: 'on it', visibility: 'public' })
      .expect(201);
  const patch = (key: string, body: object) =>
    h.http.patch(`/api/tickets/${tickets[key]}`).set(auth(agent)).send(body).expect(200);
  const restore = (key: string, minutesAgo: number) =>
    h.http
      .post(`/api/tickets/${tickets[key]}/restoration`)
      .set(auth(agent))
      .send({ restoredAt: ago(minutesAgo) });
  // D was received 10 days ago (but inside this quarter).
  const dReceived = Math.max(T - 14_400 * MIN, qStart + 60 * MIN);
  const dMinutes = Math.round((T - dReceived) / MIN);

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent3@helpdesk.local'); // cleared: C is OFFICIAL-SENSITIVE
    manager = await h.login('manager@helpdesk.local');
    otherAdmin = await h.login('carol@acme.example');
    org = await customerOn(h, admin, 'reports', policy);
    await h.http
      .post('/api/admin/users')
      .set(auth(admin))
      .send({
        email: 'boss@reports.example',
        name: 'Boss',
        role: 'customer_admin',
        organizationId: org.organizationId,
        password: DEMO_PASSWORD,
      })
      .expect(201);
    ownAdmin = await h.login('boss@reports.example');

    // Contract terms: a 99% goal and the first-contact service goal.
    const terms = await h.http
      .put(`/api/policies/${org.policyId}/contract-terms`)
      .set(auth(admin))
      .send({
        terms: {
          availabilityGoal: 0.99,
          operatingTime: null,
          maintenanceNoticeWorkingDays: null,
          maintenanceMonthlyCapMinutes: null,
          serviceGoals: [{ key: 'firstContactResolution', goal: 0.8 }],
        },
      })
      .expect(200);
    expect(terms.body.terms.availabilityGoal).toBe(0.99);
    await h.http
      .put(`/api/policies/${org.policyId}/contract-terms`)
      .set(auth(admin))
      .send({ terms: { availabilityGoal: 2 } })
      .expect(400);

    // E: last quarter, still open (backlog at the start and the end); its target was decided then.
    await ticket('E', {
      severity: 2,
      channel: 'email',
      receivedAt: iso(qStart - 11 * 24 * 60 * MIN),
    });
    // F: an incident, 120 minutes ago by phone; answered now (60 minutes late); restored 60 minutes ago.
    await ticket('F', { severity: 1, channel: 'phone', receivedAt: ago(120) });
    // A: severity 2 by e-mail 100 minutes ago, answered now (met), resolved, then reopened.
    await ticket('A', { severity: 2, channel: 'email', receivedAt: ago(100) });
    // B: severity 1 by phone 90 minutes ago, answered now (30 late), escalated to level 2, restored 80 minutes ago.
    await ticket('B', { severity: 1, channel: 'phone', receivedAt: ago(90) });
    // C: severity 3 on the web 30 minutes ago, OFFICIAL-SENSITIVE, re-classified to 1 (due 30 minutes from now), answered now: met.
    await ticket('C', { severity: 3, channel: 'web', receivedAt: ago(30), sensitive: true });
    // D: severity 3 by API, never answered, resolved now: breached 8 hours after receipt.
    await ticket('D', { severity: 3, channel: 'api', receivedAt: iso(dReceived) });
    // G: severity 3 on the web 10 minutes ago: pending.
    await ticket('G', { severity: 3, channel: 'web', receivedAt: ago(10) });

    await patch('C', { severity: 1, reason: 'all users are down' });
    for (const k of ['F', 'A', 'B', 'C']) await reply(k);
    await h.http
      .post(`/api/tickets/${tickets.B}/escalations`)
      .set(auth(agent))
      .send({ toLevel: 2, reason: 'needs level 2' })
      .expect(201);
    await patch('A', { status: 'resolved' });
    await patch('D', { status: 'resolved' });
    await patch('A', { status: 'open' });

    await restore('F', 60).expect(201);
    await restore('B', 80).expect(201);
    await restore('C', 25).expect(201);
    const notIncident = await restore('A', 50);
    expect(notIncident.status).toBe(400);
    expect(notIncident.body.code).toBe('not_an_incident');

    // An outage without a ticket, 90 to 30 minutes ago (overlapping F and B).
    await h.http
      .post('/api/outages')
      .set(auth(admin))
      .send({
        organizationId: org.organizationId,
        start: ago(90),
        restoredAt: ago(30),
        summary: 'database failover',
      })
      .expect(201);
    // Maintenance announced long ago for 300–240 minutes ago; the work overran by 30 minutes.
    const mw = await h.http
      .post('/api/maintenance-windows')
      .set(auth(admin))
      .send({
        organizationId: org.organizationId,
        start: ago(300),
        end: ago(240),
        announcedAt: ago(30 * 24 * 60),
        summary: 'upgrade',
      })
      .expect(201);
    const corrected = await h.http
      .patch(`/api/maintenance-windows/${mw.body.id}`)
      .set(auth(admin))
      .send({ actualEnd: ago(210), reason: 'the upgrade took longer' })
      .expect(200);
    expect(corrected.body.corrections).toEqual([
      expect.objectContaining({
        field: 'actualEnd',
        to: ago(210),
        reason: 'the upgrade took longer',
      }),
    ]);
    await h.http
      .patch(`/api/maintenance-windows/${mw.body.id}`)
      .set(auth(admin))
      .send({ actualEnd: ago(210) })
      .expect(400);
  });
  afterAll(() => h?.close());

  const quarterly = (token: string, organizationId = org.organizationId, quarter = q) =>
    h.http.get('/api/reports/quarterly').query({ organizationId, quarter }).set(auth(token));

  const monthMinutes = (() => {
    const d = new Date(T);
    return (
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) -
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) /
      MIN
    );
  })();

  it('gives every figure of the quarter as defined', async () => {
    const res = await quarterly(manager).expect(200);
    const r = res.body;
    expect(r).toMatchObject({
      organizationId: org.organizationId,
      quarter: q,
      timeZone: 'UTC',
      from: iso(qStart),
      revision: 0,
      issuedAt: null,
    });
    expect(r.firstResponse.bySeverity['1']).toEqual({
      met: 1, // C (30 minutes, under severity 1)
      breached: 2, // B (90, 30 over), F (120, 60 over)
      pending: 0,
      attainment: 1 / 3,
      medianBusinessMinutes: 90,
      p90BusinessMinutes: 120,
      totalOverrunBusinessMinutes: 90,
      maxOverrunBusinessMinutes: 60,
    });
    expect(r.firstResponse.bySeverity['2']).toEqual({
      met: 1, // A (100); E was decided last quarter
      breached: 0,
      pending: 0,
      attainment: 1,
      medianBusinessMinutes: 100,
      p90BusinessMinutes: 100,
      totalOverrunBusinessMinutes: 0,
      maxOverrunBusinessMinutes: 0,
    });
    expect(r.firstResponse.bySeverity['3']).toEqual({
      met: 0,
      breached: 1, // D, never answered: over from its due time to its resolution
      pending: 1, // G
      attainment: 0,
      medianBusinessMinutes: null,
      p90BusinessMinutes: null,
      totalOverrunBusinessMinutes: dMinutes - 480,
      maxOverrunBusinessMinutes: dMinutes - 480,
    });
    expect(r.firstResponse.overall).toEqual({
      met: 2,
      breached: 3,
      pending: 1,
      attainment: 0.4,
      medianBusinessMinutes: 90, // 30, 90, 100, 120
      p90BusinessMinutes: 120,
      totalOverrunBusinessMinutes: 90 + dMinutes - 480,
      maxOverrunBusinessMinutes: dMinutes - 480,
    });
    const oldest = ['E', 'F', 'A', 'B', 'C', 'G'];
    expect(r.activity).toEqual({
      created: {
        total: 6,
        bySeverity: { '1': 3, '2': 1, '3': 2 },
        byChannel: { email: 1, web: 2, phone: 2, chat: 0, api: 1 },
        bySupportLevel: { '1': 5, '2': 1, '3': 0 },
      },
      resolved: 2,
      escalated: 1,
      escalationRate: 1 / 6,
      reopened: 1,
      reopenRate: 0.5,
      resolution: { medianBusinessMinutes: 100, p90BusinessMinutes: dMinutes },
      reclassified: 1,
      backlog: {
        start: 1,
        end: 6,
        ageBuckets: {
          '0-2': { total: 5, bySeverity: { '1': 3, '2': 1, '3': 1 } },
          '3-7': { total: 0, bySeverity: { '1': 0, '2': 0, '3': 0 } },
          '8-30': { total: 0, bySeverity: { '1': 0, '2': 0, '3': 0 } },
          '>30': { total: 1, bySeverity: { '1': 0, '2': 1, '3': 0 } },
        },
        oldest: oldest.map((k) =>
          expect.objectContaining({
            reference: expect.stringMatching(/^HD-\d{6}$/),
            severity: { E: 2, F: 1, A: 2, B: 1, C: 1, G: 3 }[k],
          }),
        ),
      },
    });
    // Downtime: F 120→60, B 90→80, the outage 90→30, C 30→25 ago: one union of 95 minutes; the
    // maintenance overran its window by 30 minutes; its 60 announced minutes are excluded.
    const months = r.availability as Record<string, unknown>[];
    expect(months).toHaveLength(3);
    expect(months.find((m) => m.month === month)).toEqual({
      month,
      minutes: monthMinutes,
      downtimeMinutes: 125,
      maintenanceMinutes: 60,
      availability: 1 - 125 / monthMinutes,
      goal: 0.99,
      budgetLeftMinutes: Math.round((0.01 * monthMinutes - 125) * 1000) / 1000,
    });
    for (const m of months.filter((m) => m.month !== month))
      expect(m).toMatchObject({ downtimeMinutes: 0, availability: 1 });
    expect(
      r.incidents.map((i: Record<string, unknown>) => [
        i.start,
        i.restoredAt,
        i.downtimeMinutes,
        i.severity,
      ]),
    ).toEqual([
      [ago(120), ago(60), 60, 1],
      [ago(90), ago(80), 10, 1],
      [ago(90), ago(30), 60, 1],
      [ago(30), ago(25), 5, 1],
    ]);
    expect(r.incidents[2].reference).toMatch(/^OUT-/);
    expect(r.maintenance).toEqual([
      expect.objectContaining({
        start: ago(300),
        end: ago(240),
        actualEnd: ago(210),
        noticeMet: true,
        excludedMinutes: 60,
        downtimeMinutes: 30,
        overCapMinutes: 0,
      }),
    ]);
    expect(r.serviceGoals).toEqual([
      // A was answered once and resolved at level 1; D was never answered.
      expect.objectContaining({
        key: 'firstContactResolution',
        goal: 0.8,
        value: 0.5,
        count: 2,
        passed: false,
      }),
    ]);
  });

  it('issues a revision, and a correction makes a new revision that says what changed', async () => {
    const first = await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth(manager))
      .send({ organizationId: org.organizationId, quarter: q })
      .expect(201);
    expect(first.body).toMatchObject({
      revision: 1,
      changes: [],
      quarter: q,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(first.body.cutOff).toEqual(expect.any(String));
    const got = await h.http.get(`/api/reports/${first.body.id}`).set(auth(ownAdmin)).expect(200);
    expect(got.body.firstResponse).toEqual(first.body.firstResponse);

    // The admin corrects F's start: 10 minutes earlier.
    await h.http
      .patch(`/api/tickets/${tickets.F}/incident`)
      .set(auth(admin))
      .send({ start: ago(130), reason: 'monitoring saw it first' })
      .expect(200);
    await h.http
      .patch(`/api/tickets/${tickets.F}/incident`)
      .set(auth(admin))
      .send({ start: ago(140) })
      .expect(400);
    const history = await h.http.get(`/api/tickets/${tickets.F}`).set(auth(admin)).expect(200);
    expect(history.body.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'restoredAt', reason: 'service restored' }),
        expect.objectContaining({ field: 'start', reason: 'monitoring saw it first' }),
      ]),
    );

    const second = await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth(admin))
      .send({ organizationId: org.organizationId, quarter: q })
      .expect(201);
    expect(second.body.revision).toBe(2);
    const index = [
      'availability',
      (second.body.availability as { month: string }[]).findIndex((m) => m.month === month),
    ].join('.');
    expect(second.body.changes).toEqual(
      expect.arrayContaining([
        { path: `${index}.downtimeMinutes`, from: 125, to: 135 },
        { path: 'incidents.0.downtimeMinutes', from: 60, to: 70 },
      ]),
    );
    const old = await h.http.get(`/api/reports/${first.body.id}`).set(auth(manager)).expect(200);
    expect(old.body.revision).toBe(1);
    const list = await h.http
      .get('/api/reports')
      .query({ organizationId: org.organizationId })
      .set(auth(manager))
      .expect(200);
    expect(list.body.map((x: { revision: number }) => x.revision)).toEqual([2, 1]);

    // The CSV files carry the same figures.
    const zip = await h.http
      .get(`/api/reports/${second.body.id}.csv.zip`)
      .set(auth(manager))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Object.keys(files).sort()).toEqual([
      'incidents.csv',
      'maintenance.csv',
      'summary.csv',
      'targets.csv',
      'tickets.csv',
    ]);
    const summary = new Map(
      strFromU8(files['summary.csv'])
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => {
          const i = l.indexOf(',');
          return [l.slice(0, i), l.slice(i + 1)];
        }),
    );
    const leaves = (v: unknown, path: string, out: [string, unknown][]) => {
      if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
      else out.push([path, v]);
      return out;
    };
    const { incidents, maintenance, firstResponse, activity, availability, serviceGoals } =
      second.body;
    for (const [path, value] of leaves(
      { firstResponse, activity, availability, serviceGoals },
      '',
      [],
    ))
      expect([path, summary.get(path)]).toEqual([path, value === null ? '' : String(value)]);
    expect(summary.get('incidents.count')).toBe(String(incidents.length));
    expect(summary.get('maintenance.count')).toBe(String(maintenance.length));
    const targets = strFromU8(files['targets.csv']).trim().split('\r\n');
    expect(targets).toHaveLength(1 + 5);
    expect(strFromU8(files['incidents.csv']).trim().split('\r\n')).toHaveLength(1 + 4);
    expect(strFromU8(files['tickets.csv'])).toContain(',api,3,resolved,1,');
  });

  it('lets a customer admin read their own organisation only; others get 404 or 403', async () => {
    await quarterly(ownAdmin).expect(200);
    const other = await quarterly(otherAdmin);
    expect(other.status).toBe(404);
    const issued = await h.http
      .get('/api/reports')
      .query({ organizationId: org.organizationId })
      .set(auth(manager))
      .expect(200);
    await h.http.get(`/api/reports/${issued.body[0].id}`).set(auth(otherAdmin)).expect(404);
    await h.http.get(`/api/reports/${issued.body[0].id}.csv.zip`).set(auth(otherAdmin)).expect(404);
    await h.http
      .post('/api/reports/quarterly/issue')
      .set(auth(ownAdmin))
      .send({ organizationId: org.organizationId, quarter: q })
      .expect(403);
    await quarterly(agent).expect(403);
  });

  it('says what was wrong with a request', async () => {
    const bad = await quarterly(manager, org.organizationId, '2026-Q5').expect(400);
    expect(bad.body.message).toContain('quarter');
    await quarterly(manager, 'not-a-uuid').expect(400);
    await quarterly(manager, '00000000-0000-4000-8000-000000000000').expect(404);
    await h.http
      .get('/api/reports/00000000-0000-4000-8000-000000000000')
      .set(auth(manager))
      .expect(404);
    await h.http.post('/api/outages').set(auth(admin)).send({ start: 'yesterday' }).expect(400);
  });
});
