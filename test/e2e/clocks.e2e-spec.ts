// Every clock through the API with a real worker: first response (never paused), next response (a
// round a customer message), periodic updates, resolution (again after a reopening), pauses while
// pending on the timeline, and the ticket kinds' calendar-time targets. 24×7 policies with targets
// of seconds, or past receipt times, make the due times near; each alarm fires once.
jest.setTimeout(180_000);
import { createTicket, customerOn, Harness, startHarness } from '../support/harness';
import { waitFor } from '../support/wait';

interface Target {
  metric: string;
  round: number;
  clock: string;
  state: string;
  startedAt: string;
  dueAt: string | null;
  warningAt: string | null;
  stoppedAt: string | null;
  pausedAt: string | null;
  leftSeconds: number | null;
  pausedSeconds: number;
  version: number;
}
interface Alarm {
  metric: string;
  round: number;
  kind: string;
  version: number;
  dueAt: string;
}

const ALL: [string, string][] = [['00:00', '24:00']];
const policy = (name: string, targets: object[]) => ({
  name,
  calendar: {
    timeZone: 'UTC',
    week: { mon: ALL, tue: ALL, wed: ALL, thu: ALL, fri: ALL, sat: ALL, sun: ALL },
  },
  targets: { 1: targets, 2: targets, 3: targets },
  alarms: { warningFraction: 0.5 },
  escalateOnBreach: false,
});
const HOUR = { metric: 'first_response', seconds: 3600 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the clocks of every target', () => {
  let h: Harness;
  let admin: string;
  let agent: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    // The reconciler re-adds every timer each second: an alarm must still fire once.
    h = await startHarness({ env: { RECONCILE_INTERVAL_MS: '1000' } });
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
  });
  afterAll(() => h.close());

  const customer = async (tag: string, targets: object[]) => {
    const c = await customerOn(h, admin, tag, policy(`Clocks ${tag}`, targets));
    return { ...c, token: await h.login(c.email) };
  };
  const read = async (id: string) =>
    (await h.http.get(`/api/tickets/${id}`).set(auth(agent)).expect(200)).body;
  const targets = async (id: string, metric?: string): Promise<Target[]> =>
    (await read(id)).targets.filter((t: Target) => !metric || t.metric === metric);
  const alarmsOf = async (id: string): Promise<Alarm[]> =>
    (await h.http.get(`/api/alarms?ticketId=${id}`).set(auth(agent)).expect(200)).body;
  const waitForAlarm = (id: string, metric: string, kind: string, round = 1) =>
    waitFor(
      async () =>
        (await alarmsOf(id)).find(
          (a) => a.metric === metric && a.kind === kind && a.round === round,
        ),
      { timeoutMs: 30_000, what: `${kind} of ${metric} round ${round}` },
    );
  const say = (token: string, id: string, body: string, visibility = 'public') =>
    h.http
      .post(`/api/tickets/${id}/messages`)
      .set(auth(token))
      .send({ body, visibility })
      .expect(201)
      .then((r) => r.body as { createdAt: string });
  const setStatus = (id: string, status: string) =>
    h.http.patch(`/api/tickets/${id}`).set(auth(agent)).send({ status }).expect(200);
  const clockHistory = async (id: string) =>
    (await read(id)).history
      .filter((e: { field: string }) => e.field === 'clock')
      .map((e: { newValue: string; reason: string }) => `${e.newValue}: ${e.reason}`);
  const rowsOf = async (id: string) =>
    (
      await h.pg.query(
        `SELECT metric, round, state, version FROM ticket_targets WHERE ticket_id = $1 ORDER BY metric, round`,
        [id],
      )
    ).rows.map((r) => `${r.metric}#${r.round} ${r.state} v${r.version}`);
  const made: string[] = [];

  it('first response is timed from a past receipt and never pauses; resolution pauses while pending', async () => {
    const c = await customer('fr', [HOUR, { metric: 'resolution', seconds: 7200 }]);
    const t = await createTicket(h, agent, {
      subject: 'Phoned in an hour ago',
      description: 'x',
      severity: 2,
      requesterEmail: c.email,
      receivedAt: new Date(Date.now() - 3600_000 + 4_000).toISOString(),
    });
    made.push(t.id);
    await setStatus(t.id, 'pending');
    const [first] = await targets(t.id, 'first_response');
    expect(first.state).toBe('running');
    expect(Date.parse(first.dueAt!) - Date.parse(t.receivedAt)).toBe(3600_000);
    const [resolution] = await targets(t.id, 'resolution');
    expect(resolution).toMatchObject({ state: 'paused', dueAt: null, warningAt: null });
    expect(resolution.leftSeconds).toBeGreaterThan(3590);
    expect(resolution.leftSeconds).toBeLessThan(3605);
    expect(await clockHistory(t.id)).toEqual([
      'paused: waiting on the customer: resolution paused',
    ]);

    const breach = await waitForAlarm(t.id, 'first_response', 'breach');
    expect(breach.dueAt).toBe(first.dueAt);
    await waitForAlarm(t.id, 'first_response', 'warning');
    expect((await targets(t.id, 'first_response'))[0].state).toBe('breached');
    expect((await alarmsOf(t.id)).filter((a) => a.metric === 'resolution')).toEqual([]);
  });

  it('next response: each customer message after a reply arms a round; the next public reply meets it', async () => {
    const c = await customer('nr', [
      HOUR,
      { metric: 'next_response', seconds: 4, warning: { beforeSeconds: 2 } },
    ]);
    const t = await createTicket(h, c.token, { subject: 'Rounds', description: 'x', severity: 3 });
    made.push(t.id);
    await say(agent, t.id, 'Looking at it');
    expect(await targets(t.id, 'next_response')).toEqual([]);

    const m1 = await say(c.token, t.id, 'Any news?');
    const [r1] = await targets(t.id, 'next_response');
    expect(r1).toMatchObject({ round: 1, state: 'running', clock: 'business' });
    expect(Date.parse(r1.dueAt!) - Date.parse(m1.createdAt)).toBe(4000);
    expect(Date.parse(r1.warningAt!) - Date.parse(m1.createdAt)).toBe(2000);
    await say(agent, t.id, 'an internal note does not count', 'internal');
    await say(agent, t.id, 'Yes: fixed tomorrow');

    await say(c.token, t.id, 'And now?');
    await say(c.token, t.id, 'Hello?'); // round 2 is armed already
    await waitForAlarm(t.id, 'next_response', 'breach', 2);
    await say(agent, t.id, 'Sorry for the wait');
    await say(c.token, t.id, 'Thanks; one more thing');
    await say(agent, t.id, 'Sure');

    expect(await rowsOf(t.id)).toEqual([
      'first_response#1 met v1',
      'next_response#1 met v1',
      'next_response#2 breached v2',
      'next_response#3 met v3',
    ]);
    const r2 = (await targets(t.id, 'next_response'))[1];
    expect(Date.parse(r2.stoppedAt!)).toBeGreaterThan(Date.parse(r2.dueAt!));
    const alarms = (await alarmsOf(t.id)).map(
      (a) => `${a.metric}#${a.round} ${a.kind} v${a.version}`,
    );
    expect(alarms.sort()).toEqual(['next_response#2 breach v2', 'next_response#2 warning v2']);
  });

  it('periodic update: due every N while open, paused while pending, resumed by the customer’s reply with the due time moved by the pause', async () => {
    const c = await customer('pu', [HOUR, { metric: 'periodic_update', seconds: 5 }]);
    const t = await createTicket(h, c.token, { subject: 'Updates', description: 'x', severity: 3 });
    made.push(t.id);
    const reply = await say(agent, t.id, 'First update');
    await setStatus(t.id, 'pending');
    const [u1, u2] = await targets(t.id, 'periodic_update');
    expect(u1).toMatchObject({ round: 1, state: 'met' });
    expect(u2.startedAt).toBe(reply.createdAt);
    expect(u2).toMatchObject({ round: 2, state: 'paused', dueAt: null });
    const left = u2.leftSeconds!;
    expect(left).toBeGreaterThan(3);
    expect(left).toBeLessThanOrEqual(5);

    await sleep(6_000); // past the due time the round would have had
    expect(await alarmsOf(t.id)).toEqual([]);
    expect((await targets(t.id, 'periodic_update'))[1].state).toBe('paused');

    const back = await say(c.token, t.id, 'Here is the log you asked for');
    const ticket = await read(t.id);
    expect(ticket.status).toBe('open');
    const resumed = ticket.targets.find(
      (x: Target) => x.metric === 'periodic_update' && x.round === 2,
    );
    expect(resumed.state).toBe('running');
    expect(resumed.version).toBe(3); // round 2 started as v2 (versions grow across rounds)
    expect(Date.parse(resumed.dueAt)).toBe(Date.parse(back.createdAt) + Math.round(left * 1000));
    expect(resumed.pausedSeconds).toBeGreaterThanOrEqual(6);
    expect(await clockHistory(t.id)).toEqual([
      'paused: waiting on the customer: periodic update paused',
      'running: periodic update resumed',
    ]);

    const breach = await waitForAlarm(t.id, 'periodic_update', 'breach', 2);
    expect(breach).toMatchObject({ version: 3, dueAt: resumed.dueAt });
    await waitForAlarm(t.id, 'periodic_update', 'warning', 2);
    // The late update meets nothing: it decides round 2 as breached and starts round 3.
    await say(agent, t.id, 'Second update');
    expect(await rowsOf(t.id)).toEqual([
      'first_response#1 met v1',
      'periodic_update#1 met v1',
      'periodic_update#2 breached v3',
      'periodic_update#3 running v4',
    ]);
  });

  it('resolution: met when resolved, and a new round when the customer reopens the ticket', async () => {
    const c = await customer('res', [HOUR, { metric: 'resolution', seconds: 4 }]);
    const t = await createTicket(h, c.token, { subject: 'Fix it', description: 'x', severity: 1 });
    made.push(t.id);
    await setStatus(t.id, 'resolved');
    expect(await rowsOf(t.id)).toEqual(['first_response#1 stopped v1', 'resolution#1 met v1']);
    const reopened = await say(c.token, t.id, 'It is broken again');
    const ticket = await read(t.id);
    expect(ticket.status).toBe('open');
    const [, r2] = ticket.targets.filter((x: Target) => x.metric === 'resolution');
    expect(r2).toMatchObject({ round: 2, state: 'running', version: 2 });
    expect(Date.parse(r2.dueAt)).toBe(Date.parse(reopened.createdAt) + 4000);
    await waitForAlarm(t.id, 'resolution', 'warning', 2);
    await waitForAlarm(t.id, 'resolution', 'breach', 2);
    await setStatus(t.id, 'resolved');
    expect(await rowsOf(t.id)).toEqual([
      'first_response#1 stopped v1',
      'resolution#1 met v1',
      'resolution#2 breached v2',
    ]);
  });

  it('ticket kinds: a data-protection request has a month to resolve, a security incident 24 hours to notify, in calendar time, never paused', async () => {
    const c = await customer('kinds', [HOUR]);
    const refused = await h.http
      .post('/api/tickets')
      .set(auth(c.token))
      .send({ subject: 's', description: 'd', severity: 1, kind: 'security_incident' });
    expect([refused.status, refused.body.code]).toEqual([403, 'kind_staff_only']);
    const bad = await h.http
      .post('/api/tickets')
      .set(auth(c.token))
      .send({ subject: 's', description: 'd', severity: 1, kind: 'complaint' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('kind must be one of');

    const own = await createTicket(h, c.token, {
      subject: 'A copy of my data, please',
      description: 'Art. 15',
      severity: 3,
      kind: 'data_protection_request',
    });
    made.push(own.id);
    expect(own.kind).toBe('data_protection_request');
    const month = own.targets.find((x: Target) => x.metric === 'resolution');
    const expected = new Date(own.receivedAt);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    expect(month).toMatchObject({ clock: 'calendar', dueAt: expected.toISOString() });

    // Logged by staff with a receipt a month (less a few seconds) ago: due in a few seconds.
    const due = new Date(Date.now() + 5_000);
    const received = new Date(due);
    received.setUTCMonth(received.getUTCMonth() - 1);
    const dpr = await createTicket(h, agent, {
      subject: 'Erase me',
      description: 'Art. 17',
      severity: 3,
      kind: 'data_protection_request',
      requesterEmail: c.email,
      receivedAt: received.toISOString(),
    });
    made.push(dpr.id);
    expect(dpr.targets.find((x: Target) => x.metric === 'resolution').dueAt).toBe(
      due.toISOString(),
    );
    await setStatus(dpr.id, 'pending');
    expect((await targets(dpr.id, 'resolution'))[0].state).toBe('running');

    const incident = await createTicket(h, agent, {
      subject: 'Credentials leaked',
      description: 'x',
      severity: 1,
      kind: 'security_incident',
      requesterEmail: c.email,
      receivedAt: new Date(Date.now() - 24 * 3600_000 + 5_000).toISOString(),
    });
    made.push(incident.id);
    const notify = incident.targets.find((x: Target) => x.metric === 'notification');
    expect(notify.clock).toBe('calendar');
    expect(Date.parse(notify.dueAt) - Date.parse(incident.receivedAt)).toBe(24 * 3600_000);
    expect(Date.parse(notify.warningAt) - Date.parse(incident.receivedAt)).toBe(18 * 3600_000);
    await setStatus(incident.id, 'pending');

    await waitForAlarm(dpr.id, 'resolution', 'breach');
    await waitForAlarm(incident.id, 'notification', 'breach');
    await waitForAlarm(incident.id, 'notification', 'warning');
    const mail = await h.smtp.waitForMail(
      (m) =>
        m.subject.includes(incident.reference) &&
        m.subject.includes('SLA BREACH: security notification'),
    );
    expect(mail.text).toContain('Kind:      security incident');
    await say(agent, incident.id, 'We are telling you: credentials were exposed.');
    expect(await rowsOf(incident.id)).toEqual([
      'first_response#1 breached v1', // due an hour after a receipt 24 hours ago
      'notification#1 breached v1',
    ]);
    const list = await h.http
      .get('/api/tickets?kind=security_incident')
      .set(auth(agent))
      .expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([incident.id]);
  });

  it('every alarm fired once, with one mail each, after many reconciler passes', async () => {
    await sleep(2_000);
    const { rows } = await h.pg.query(
      `SELECT ticket_id, metric, round, kind, count(*)::int AS n FROM alarms WHERE ticket_id = ANY($1)
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [made],
    );
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const mails = await h.pg.query(
      `SELECT count(*)::int AS n FROM outbound_mails WHERE kind LIKE 'alarm.%' AND ticket_id = ANY($1)`,
      [made],
    );
    expect(mails.rows[0].n).toBe(rows.length);
  });
});
