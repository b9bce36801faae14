// Contract end: admins set the date; the admins and the customer admin are warned by mail; 30 days
// after it a deletion job removes the organisation's data in batches. A worker process SIGKILLed
// half-way, and another started, finish it: nothing of the organisation is left but its certificate,
// whose counts are exact, and the audit chain still verifies.
jest.setTimeout(180_000);
import { strFromU8, unzipSync } from 'fflate';
import { ADMIN, createTicket, Harness, startHarness, WorkerProcess } from '../support/harness';
import { waitFor } from '../support/wait';

const TAG = 'wexcombe';
const ORG = `Wexcombe Widgets ${TAG}`;
const TICKETS = 40;

describe('contract end and the deletion of an organisation', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let orgId: string;
  let userIds: string[];
  const workers: WorkerProcess[] = [];
  const env = {
    DELETION_BATCH_SIZE: '3',
    DELETION_BATCH_PAUSE_MS: '40',
    CONTRACT_CHECK_INTERVAL_MS: '1000',
  };
  const daysFromToday = (n: number) =>
    new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const count = async (sql: string, args: unknown[] = [orgId]) =>
    Number((await h.pg.query(sql, args)).rows[0].n);

  beforeAll(async () => {
    h = await startHarness({ worker: false, env });
    tokens.admin = await h.login(ADMIN.email);
    tokens.agent = await h.login('agent3@helpdesk.local');
    const [policy] = (
      await h.pg.query(`SELECT policy_id FROM organizations WHERE name = 'Acme Ltd'`)
    ).rows;
    const org = await h.http
      .post('/api/admin/organizations')
      .set(auth('admin'))
      .send({ name: ORG, policyId: policy.policy_id, emailDomains: [`${TAG}.example`] })
      .expect(201);
    orgId = org.body.id;
    userIds = [];
    for (const [who, role] of [
      ['boss', 'customer_admin'],
      ['user', 'customer'],
    ]) {
      const u = await h.http
        .post('/api/admin/users')
        .set(auth('admin'))
        .send({
          email: `${who}@${TAG}.example`,
          name: `${who} of ${TAG}`,
          role,
          organizationId: orgId,
          password: 'demo-password',
        })
        .expect(201);
      userIds.push(u.body.id);
      tokens[who] = await h.login(`${who}@${TAG}.example`);
    }
    for (let i = 0; i < TICKETS; i++) {
      const t = await createTicket(h, tokens.user, {
        subject: `${TAG} problem ${i}`,
        description: `${TAG} details ${i}`,
        severity: 1 + (i % 3),
      });
      await h.http
        .post(`/api/tickets/${t.id}/messages`)
        .set(auth('agent'))
        .send({ body: `${TAG} answer ${i}`, visibility: 'public' })
        .expect(201);
      if (i < 3)
        await h.http
          .post(`/api/tickets/${t.id}/attachments`)
          .set(auth('user'))
          .attach('files', Buffer.from(`${TAG} file ${i}`), `${TAG}-${i}.txt`)
          .expect(201);
    }
  });
  afterAll(async () => {
    for (const w of workers) await w.kill();
    await h?.close();
  });

  it('lets an admin set the contract end, today or later, and shows when deletion starts', async () => {
    await h.http
      .put(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('admin'))
      .send({ contractEndsOn: '2020-01-01' })
      .expect(400);
    await h.http
      .put(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('admin'))
      .send({ contractEndsOn: 'next week' })
      .expect(400);
    await h.http
      .put(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('boss'))
      .send({ contractEndsOn: daysFromToday(5) })
      .expect(403);
    const set = await h.http
      .put(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('admin'))
      .send({ contractEndsOn: daysFromToday(5) })
      .expect(200);
    expect(set.body).toMatchObject({
      contractEndsOn: daysFromToday(5),
      deletionStartsOn: daysFromToday(35),
      deletion: null,
    });
    // The customer admin sees their own organisation's contract; another organisation's is 404.
    await h.http.get(`/api/admin/organizations/${orgId}/contract`).set(auth('boss')).expect(200);
    const [acme] = (await h.pg.query(`SELECT id FROM organizations WHERE name = 'Acme Ltd'`)).rows;
    await h.http.get(`/api/admin/organizations/${acme.id}/contract`).set(auth('boss')).expect(404);
  });

  it('warns the admins and the customer admin by mail, once', async () => {
    const worker = await new WorkerProcess(h.env).start();
    workers.push(worker);
    const mail = await h.smtp.waitForMail((m) => m.subject.includes(`Contract of ${ORG} ends`));
    expect(mail.to).toEqual(expect.arrayContaining([ADMIN.email, `boss@${TAG}.example`]));
    expect(mail.text).toContain(daysFromToday(35));
    await new Promise((r) => setTimeout(r, 2500)); // two more checks
    expect(h.smtp.mails.filter((m) => m.subject.includes(`Contract of ${ORG}`))).toHaveLength(1);
    const view = await h.http
      .get(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('admin'))
      .expect(200);
    expect(view.body.warnings).toEqual([
      expect.objectContaining({ kind: 'contract_end', daysBefore: 7 }),
    ]);
    await worker.kill();
  });

  it('deletes everything of the organisation 30 days after the end, surviving a SIGKILL half-way', async () => {
    const before = {
      tickets: await count(`SELECT count(*) AS n FROM tickets WHERE organization_id = $1`),
      messages: await count(
        `SELECT count(*) AS n FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.organization_id = $1`,
      ),
      attachments: await count(
        `SELECT count(*) AS n FROM inbound_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.organization_id = $1`,
      ),
      users: await count(`SELECT count(*) AS n FROM users WHERE organization_id = $1`),
    };
    expect(before).toMatchObject({ tickets: TICKETS, attachments: 3, users: 2 });
    expect(before.messages).toBeGreaterThanOrEqual(TICKETS);
    // Before the deletion an admin takes an export of the organisation's data.
    const zip = await h.http
      .get(`/api/admin/organizations/${orgId}/export.zip`)
      .set(auth('admin'))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'application/zip');
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    const exported = JSON.parse(strFromU8(files['organisation.json']));
    expect(exported.tickets).toHaveLength(TICKETS);
    expect(exported.users).toHaveLength(2);
    expect(Object.keys(files).filter((f) => f.startsWith('attachments/'))).toHaveLength(3);
    await h.http.get(`/api/admin/organizations/${orgId}/export.zip`).set(auth('boss')).expect(403);
    // Time passes: the contract ended 31 days ago.
    await h.pg.query(`UPDATE organizations SET contract_ends_on = $2 WHERE id = $1`, [
      orgId,
      daysFromToday(-31),
    ]);
    const first = await new WorkerProcess(h.env).start();
    workers.push(first);
    const progress = async () =>
      (await h.http.get('/api/admin/deletions').set(auth('admin')).expect(200)).body.find(
        (d: { organizationId: string }) => d.organizationId === orgId,
      );
    await waitFor(async () => ((await progress())?.counts.messages ?? 0) >= 9, {
      what: 'the deletion to be under way',
      timeoutMs: 30_000,
    });
    await first.kill('SIGKILL');
    const halfway = await progress();
    expect(halfway.state).toBe('running');
    // Deletion started yesterday: it must be complete within 30 days of that, and is not yet late.
    expect(halfway).toMatchObject({ completeBy: daysFromToday(29), overdue: false });
    // Had the contract ended 70 days ago, the unfinished deletion would show as overdue.
    const ended = `UPDATE organization_deletions SET contract_ends_on = $2 WHERE organization_id = $1`;
    await h.pg.query(ended, [orgId, daysFromToday(-70)]);
    expect(await progress()).toMatchObject({ completeBy: daysFromToday(-10), overdue: true });
    await h.pg.query(ended, [orgId, daysFromToday(-31)]);
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE organization_id = $1`)).toBe(
      TICKETS,
    );
    expect(await count(`SELECT count(*) AS n FROM organizations WHERE id = $1`)).toBe(1);

    const second = await new WorkerProcess(h.env).start();
    workers.push(second);
    const done = await waitFor(
      async () => {
        const d = await progress();
        return d?.state === 'done' ? d : null;
      },
      { what: 'the deletion to finish', timeoutMs: 90_000 },
    );
    expect(done.counts).toMatchObject({ ...before, organization: 1 });
    expect(done.counts.auditEntries).toBeGreaterThan(0);
    expect(done.finishedAt).toMatch(/Z$/);
    expect(done.overdue).toBe(false);
    expect(done.organizationName).toBe(ORG);

    // Nothing left of it but the certificate: no row anywhere names its id, its users, its name or its text.
    const tables = (
      await h.pg.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name NOT IN ('organization_deletions', 'migrations')`,
      )
    ).rows.map((r) => r.table_name as string);
    const needles = [orgId, ...userIds, TAG];
    const found: string[] = [];
    for (const table of tables)
      for (const needle of needles) {
        const n = await count(
          `SELECT count(*) AS n FROM "${table}" x WHERE x::text ILIKE '%' || $1 || '%'`,
          [needle],
        );
        if (n) found.push(`${table}: ${n} × ${needle}`);
      }
    expect(found).toEqual([]);

    // The certificate outlives the data; the chain verifies across the purged entries.
    const contract = await h.http
      .get(`/api/admin/organizations/${orgId}/contract`)
      .set(auth('admin'))
      .expect(200);
    expect(contract.body.deletion).toMatchObject({ state: 'done', counts: done.counts });
    const verify = (await h.http.get('/api/admin/audit/verify').set(auth('admin')).expect(200))
      .body;
    expect(verify).toMatchObject({ ok: true });
    expect(verify.purged).toBe(done.counts.auditEntries);
  });
});
