// A policy follows its calendar: the admin's calendar edit moves the due times of NEW tickets under it; open tickets keep theirs.
jest.setTimeout(60_000);
import { createTicket, DEMO_PASSWORD, Harness, startHarness } from '../support/harness';

describe('policies follow their calendar', () => {
  let h: Harness;
  let admin: string;
  let agent: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const weekdays = (from: string, to: string) =>
    Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[from, to]]]));
  const calendar = (to: string) => ({ timeZone: 'UTC', week: weekdays('09:00', to) });
  const policy = (name: string) => ({
    name,
    targets: {
      '1': [{ metric: 'first_response', seconds: 3600, clock: 'business' }],
      '2': [{ metric: 'first_response', seconds: 7200, clock: 'business' }],
      '3': [{ metric: 'first_response', seconds: 14400, clock: 'business' }],
    },
    alarms: { warningFraction: 0.75 },
    escalateOnBreach: false,
  });
  // Monday 2024-01-08 16:30 UTC, severity 1 (one business hour).
  const receivedAt = '2024-01-08T16:30:00.000Z';

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
  });
  afterAll(() => h.close());

  async function customerOn(policyId: string, tag: string) {
    const org = await h.http
      .post('/api/admin/organizations')
      .set(auth(admin))
      .send({ name: `Org ${tag}`, policyId, emailDomains: [`${tag}.example`] })
      .expect(201);
    await h.http
      .post('/api/admin/users')
      .set(auth(admin))
      .send({
        email: `user@${tag}.example`,
        name: `User ${tag}`,
        role: 'customer',
        organizationId: org.body.id,
        password: DEMO_PASSWORD,
      })
      .expect(201);
    return `user@${tag}.example`;
  }
  const dueOf = async (requesterEmail: string) => {
    const t = await createTicket(h, agent, {
      subject: 'phone call',
      description: 'x',
      severity: 1,
      receivedAt,
      requesterEmail,
    });
    return { id: t.id as string, dueAt: t.targets[0].dueAt as string };
  };

  it("saving a calendar re-times new tickets of the policies that follow it, not the open ones, nor an unlinked policy's", async () => {
    const cal = await h.http
      .post('/api/admin/calendars')
      .set(auth(admin))
      .send({ name: 'Office hours', document: calendar('17:00') })
      .expect(201);
    const linked = await h.http
      .post('/api/admin/policies')
      .set(auth(admin))
      .send({ document: policy('Follows office hours'), calendarId: cal.body.id })
      .expect(201);
    expect(linked.body).toMatchObject({
      calendarId: cal.body.id,
      document: { calendar: calendar('17:00') },
    });
    const own = await h.http
      .post('/api/admin/policies')
      .set(auth(admin))
      .send({ document: { ...policy('Own copy'), calendar: calendar('17:00') } })
      .expect(201);
    expect(own.body.calendarId).toBeNull();
    const follower = await customerOn(linked.body.id, 'follows');
    const keeper = await customerOn(own.body.id, 'keeps');

    const before = await dueOf(follower);
    expect(before.dueAt).toBe('2024-01-09T09:30:00.000Z'); // 30 min on Monday, 30 min on Tuesday
    expect((await dueOf(keeper)).dueAt).toBe('2024-01-09T09:30:00.000Z');

    const saved = await h.http
      .patch(`/api/admin/calendars/${cal.body.id}`)
      .set(auth(admin))
      .send({ document: calendar('18:00') })
      .expect(200);
    expect(saved.body.policies).toEqual(['Follows office hours']);

    expect((await dueOf(follower)).dueAt).toBe('2024-01-08T17:30:00.000Z'); // the new hours
    expect((await dueOf(keeper)).dueAt).toBe('2024-01-09T09:30:00.000Z'); // its own copy, unchanged
    const open = await h.http.get(`/api/tickets/${before.id}`).set(auth(agent)).expect(200);
    expect(open.body.targets[0].dueAt).toBe(before.dueAt); // open tickets keep their due times
    const preview = await h.http
      .post('/api/sla/preview')
      .set(auth(admin))
      .send({ policyId: linked.body.id, receivedAt, severity: 1 })
      .expect(200);
    expect(preview.body.targets[0].dueAt).toBe('2024-01-08T17:30:00.000Z');
  });

  it('PUT keeps the link unless calendarId is null; after unlinking, calendar edits no longer reach the policy', async () => {
    const cal = await h.http
      .post('/api/admin/calendars')
      .set(auth(admin))
      .send({ name: 'Short days', document: calendar('17:00') })
      .expect(201);
    const p = await h.http
      .post('/api/admin/policies')
      .set(auth(admin))
      .send({ document: policy('Short days policy'), calendarId: cal.body.id })
      .expect(201);
    const kept = await h.http
      .put(`/api/admin/policies/${p.body.id}`)
      .set(auth(admin))
      .send({ document: { ...policy('Short days policy'), calendar: calendar('12:00') } })
      .expect(200);
    expect(kept.body).toMatchObject({
      calendarId: cal.body.id,
      document: { calendar: calendar('17:00') },
    });
    const unlinked = await h.http
      .put(`/api/admin/policies/${p.body.id}`)
      .set(auth(admin))
      .send({
        document: { ...policy('Short days policy'), calendar: calendar('17:00') },
        calendarId: null,
      })
      .expect(200);
    expect(unlinked.body.calendarId).toBeNull();
    const saved = await h.http
      .patch(`/api/admin/calendars/${cal.body.id}`)
      .set(auth(admin))
      .send({ document: calendar('16:00') })
      .expect(200);
    expect(saved.body.policies).toEqual([]);
    expect(
      (await h.http.get(`/api/admin/policies/${p.body.id}`).set(auth(admin)).expect(200)).body
        .document.calendar,
    ).toMatchObject(calendar('17:00'));
    const bad = await h.http
      .put(`/api/admin/policies/${p.body.id}`)
      .set(auth(admin))
      .send({ document: policy('Short days policy'), calendarId: 'nope' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('calendarId must be a UUID or null');
  });
});
