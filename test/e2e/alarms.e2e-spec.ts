// SLA alarms end to end: a 24×7 policy with targets of a few seconds, a real worker and a real SMTP sink.
jest.setTimeout(120_000);
import { NotificationsService } from '@app/notifications';
import { createTicket, fastCustomer, Harness, startHarness } from '../support/harness';
import { waitFor } from '../support/wait';

interface Alarm {
  ticketId: string;
  metric: string;
  kind: 'warning' | 'breach';
  version: number;
  dueAt: string;
  firedAt: string;
}

describe('SLA alarms', () => {
  let h: Harness;
  let admin: string;
  let agent: string;
  let customer: string;
  let organization: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness({ env: { MAIL_ATTEMPTS: '3' } });
    admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    const c = await fastCustomer(h, admin, 'fast', [3, 6, 9]);
    customer = await h.login(c.email);
    organization = c.organizationId;
  });
  afterAll(() => h.close());

  const alarmsOf = async (ticketId: string): Promise<Alarm[]> =>
    (await h.http.get(`/api/alarms?ticketId=${ticketId}`).set(auth(agent)).expect(200)).body;
  const waitForAlarm = (ticketId: string, kind: string, version = 1) =>
    waitFor(
      async () => (await alarmsOf(ticketId)).find((a) => a.kind === kind && a.version === version),
      { timeoutMs: 30_000, what: `${kind} alarm v${version} of ${ticketId}` },
    );

  it('fires the warning and the breach once, mails the admins, and escalates on breach', async () => {
    const t = await createTicket(h, customer, {
      subject: 'Platform down',
      description: 'nobody can log in',
      severity: 1,
    });
    const due = Date.parse(t.targets[0].dueAt);
    expect(due - Date.parse(t.receivedAt)).toBe(3000);
    const warning = await waitForAlarm(t.id, 'warning');
    const breach = await waitForAlarm(t.id, 'breach');
    expect(warning.dueAt).toBe(t.targets[0].warningAt);
    expect(breach.dueAt).toBe(t.targets[0].dueAt);
    expect(Date.parse(breach.firedAt)).toBeGreaterThanOrEqual(due);
    expect(Date.parse(breach.firedAt) - due).toBeLessThan(10_000);

    const mail = await h.smtp.waitForMail(
      (m) => m.subject.includes(t.reference) && m.subject.includes('SLA BREACH'),
    );
    expect(mail.to).toEqual(['admin@helpdesk.test']);
    expect(mail.subject).toContain('severity 1');
    expect(mail.subject).toContain('Org fast');
    expect(mail.text).toContain('Customer:  Org fast');
    expect(mail.text).toContain('Target:    first response');
    expect(mail.text).toContain(t.targets[0].dueAt);
    expect(mail.text).toMatch(/late/);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@helpdesk\.test>$/);
    // Marked sent just after the server took it (the worker writes such marks together).
    const stored = await waitFor(
      async () => {
        const r = await h.pg.query(
          `SELECT message_id, status FROM outbound_mails WHERE kind = 'alarm.breach' AND ticket_id = $1`,
          [t.id],
        );
        return r.rows[0]?.status === 'sent' && r.rows;
      },
      { what: 'the breach mail marked sent' },
    );
    expect(stored).toEqual([{ message_id: mail.messageId, status: 'sent' }]);
    await h.smtp.waitForMail(
      (m) => m.subject.includes(t.reference) && m.subject.includes('SLA warning'),
    );

    const escalation = await h.smtp.waitForMail(
      (m) => m.subject.includes(t.reference) && m.subject.includes('escalated'),
    );
    expect(escalation.to).toEqual(['agent2@helpdesk.local']);
    const read = await h.http.get(`/api/tickets/${t.id}`).set(auth(agent)).expect(200);
    expect(read.body.supportLevel).toBe(2);
    expect(read.body.targets[0].state).toBe('breached');
    expect(await alarmsOf(t.id)).toHaveLength(2);

    const list = await h.http
      .get('/api/admin/mails?ticketId=' + t.id)
      .set(auth(admin))
      .expect(200);
    expect(list.body.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'alarm.breach',
      'alarm.warning',
      'escalation',
    ]);

    const worker = `http://127.0.0.1:${h.workers[0].port}`;
    expect(await (await fetch(`${worker}/health`)).json()).toMatchObject({
      status: 'ok',
      database: 'up',
      redis: 'up',
    });
    const metrics = await (await fetch(`${worker}/metrics`)).text();
    expect(metrics).toMatch(/helpdesk_alarm_lateness_seconds_count\{kind="breach"\} [1-9]/);
    expect(metrics).toContain('helpdesk_worker_queue_jobs');
  });

  it('fires nothing for a ticket answered in time, or closed; an internal note does not stop the clock', async () => {
    const answered = await createTicket(h, customer, {
      subject: 'answered',
      description: 'x',
      severity: 2,
    });
    const closed = await createTicket(h, customer, {
      subject: 'closed',
      description: 'x',
      severity: 2,
    });
    const noted = await createTicket(h, customer, {
      subject: 'noted',
      description: 'x',
      severity: 2,
    });
    await h.http
      .post(`/api/tickets/${answered.id}/messages`)
      .set(auth(agent))
      .send({ body: 'On it', visibility: 'public' })
      .expect(201);
    await h.http
      .patch(`/api/tickets/${closed.id}`)
      .set(auth(agent))
      .send({ status: 'closed' })
      .expect(200);
    await h.http
      .post(`/api/tickets/${noted.id}/messages`)
      .set(auth(agent))
      .send({ body: 'internal only', visibility: 'internal' })
      .expect(201);
    // The noted ticket breaches; by then the other two (same target, created earlier) would have too.
    await waitForAlarm(noted.id, 'warning');
    await waitForAlarm(noted.id, 'breach');
    expect(await alarmsOf(answered.id)).toEqual([]);
    expect(await alarmsOf(closed.id)).toEqual([]);
    const a = await h.http.get(`/api/tickets/${answered.id}`).set(auth(agent)).expect(200);
    expect(a.body.targets[0].state).toBe('met');
    const c = await h.http.get(`/api/tickets/${closed.id}`).set(auth(agent)).expect(200);
    expect(c.body.targets[0].state).toBe('stopped');
  });

  it('re-classification re-times the alarms both ways (only the new version fires)', async () => {
    const upgraded = await createTicket(h, customer, {
      subject: 'up',
      description: 'x',
      severity: 3,
    }); // 9 s
    const downgraded = await createTicket(h, customer, {
      subject: 'down',
      description: 'x',
      severity: 1,
    }); // 3 s
    const up = await h.http
      .patch(`/api/tickets/${upgraded.id}`)
      .set(auth(agent))
      .send({ severity: 1 })
      .expect(200);
    const down = await h.http
      .patch(`/api/tickets/${downgraded.id}`)
      .set(auth(agent))
      .send({ severity: 3 })
      .expect(200);
    expect(Date.parse(up.body.targets[0].dueAt) - Date.parse(upgraded.receivedAt)).toBe(3000);
    expect(Date.parse(down.body.targets[0].dueAt) - Date.parse(downgraded.receivedAt)).toBe(9000);
    const upBreach = await waitForAlarm(upgraded.id, 'breach', 2);
    expect(upBreach.dueAt).toBe(up.body.targets[0].dueAt);
    // When the upgraded ticket (created first, due after 3 s) has breached, the downgraded one's old 3 s
    // breach would have fired too: it must not have.
    expect((await alarmsOf(downgraded.id)).filter((a) => a.kind === 'breach')).toEqual([]);
    const downBreach = await waitForAlarm(downgraded.id, 'breach', 2);
    expect(downBreach.dueAt).toBe(down.body.targets[0].dueAt);
    expect(Date.parse(downBreach.firedAt)).toBeGreaterThanOrEqual(
      Date.parse(down.body.targets[0].dueAt),
    );
    for (const id of [upgraded.id, downgraded.id])
      expect((await alarmsOf(id)).every((a) => a.version === 2)).toBe(true);
  });

  it('an upgrade that is already past due breaches at once', async () => {
    const t = await createTicket(h, agent, {
      subject: 'late call',
      description: 'x',
      severity: 3,
      receivedAt: new Date(Date.now() - 5000).toISOString(),
      requesterEmail: 'user@fast.example',
    });
    await h.http.patch(`/api/tickets/${t.id}`).set(auth(agent)).send({ severity: 1 }).expect(200);
    const breach = await waitForAlarm(t.id, 'breach', 2);
    expect(Date.parse(breach.dueAt)).toBe(Date.parse(t.receivedAt) + 3000);
  });

  it('retries a refused mail with backoff, and keeps a finally failed mail visible with its error', async () => {
    const notifications = h.api.get(NotificationsService);
    h.smtp.refuse((m) => m.subject === 'retry me', 2);
    const retried = await notifications.send({
      to: ['someone@fast.example'],
      subject: 'retry me',
      body: 'x',
      kind: 'test',
    });
    await h.smtp.waitForMail((m) => m.subject === 'retry me');
    const row = await waitFor(
      async () => {
        const r = await h.pg.query(`SELECT status, attempts FROM outbound_mails WHERE id = $1`, [
          retried.id,
        ]);
        return r.rows[0]?.status === 'sent' && r.rows[0];
      },
      { what: 'the retried mail marked sent' },
    );
    expect(row).toEqual({ status: 'sent', attempts: 3 });

    h.smtp.refuse((m) => m.subject === 'never arrives');
    const failed = await notifications.send({
      to: ['someone@fast.example'],
      subject: 'never arrives',
      body: 'x',
      kind: 'test',
    });
    const listed = await waitFor(
      async () =>
        (await h.http.get('/api/admin/mails?status=failed').set(auth(admin)).expect(200)).body.find(
          (m: { id: string }) => m.id === failed.id,
        ),
      { timeoutMs: 30_000, what: 'the mail to fail finally' },
    );
    expect(listed).toMatchObject({ status: 'failed', attempts: 3, messageId: failed.messageId });
    expect(listed.lastError).toMatch(/451/);
    const metrics = await h.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/helpdesk_mails_failed [1-9]/);
    void organization;
  });
});
