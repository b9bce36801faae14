// Re-classifying a ticket while its alarms fire: phone calls logged with a past receipt time (every
// target already overdue, so the worker fires warnings and breaches at once, and escalates) are
// re-classified many times at once, within the first second. Both paths lock the ticket row first,
// then its targets, and retry a deadlock: never a 500, and every alarm is recorded exactly once.
jest.setTimeout(180_000);
import { Queue } from 'bullmq';
import { QUEUES } from '@app/config';
import { fastCustomer, Harness, startHarness, TEST_REDIS_URL } from '../support/harness';
import { waitFor } from '../support/wait';

const TICKETS = 8;
const PATCHES_PER_TICKET = 12;
const ROUNDS = 3;

describe('re-classifying tickets while their alarms fire', () => {
  let h: Harness;
  let agent: string;
  let customer: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness();
    const admin = await h.login('admin@helpdesk.test');
    agent = await h.login('agent1@helpdesk.local');
    customer = (await fastCustomer(h, admin, 'relock', [2, 4, 6])).email;
  });
  afterAll(() => h.close());

  const deadlocks = async () =>
    Number(
      (
        await h.pg.query(
          `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`,
        )
      ).rows[0].deadlocks,
    );

  it('never answers 500, and records each alarm of each target version once', async () => {
    const before = await deadlocks();
    const logged = await Promise.all(
      Array.from({ length: TICKETS }, async (_, i) => {
        const res = await h.http
          .post('/api/tickets')
          .set(auth(agent))
          .send({
            subject: `Phone call ${i}`,
            description: 'the line dropped twice',
            severity: 3,
            requesterEmail: customer,
            receivedAt: new Date(Date.now() - 60_000 - i * 1000).toISOString(),
          });
        expect(res.status).toBe(201);
        return res.body as { id: string; reference: string };
      }),
    );

    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        logged.flatMap((t) =>
          Array.from({ length: PATCHES_PER_TICKET }, async (_, k) => {
            const res = await h.http
              .patch(`/api/tickets/${t.id}`)
              .set(auth(agent))
              .send({ severity: ((k + round) % 3) + 1, reason: `re-classified ${round}.${k}` });
            if (res.status !== 200)
              failures.push(`${t.reference}: ${res.status} ${res.text.slice(0, 160)}`);
          }),
        ),
      );
      expect(answers).toHaveLength(TICKETS * PATCHES_PER_TICKET);
    }
    expect(failures).toEqual([]);

    // Every target's current version is overdue and running: its warning and breach fire, once.
    const current = async () =>
      (
        await h.pg.query(
          `SELECT g.ticket_id, g.metric, g.version,
                  (SELECT count(*) FROM alarms a WHERE a.ticket_id = g.ticket_id AND a.metric = g.metric
                      AND a.version = g.version AND a.kind = 'warning')::int AS warnings,
                  (SELECT count(*) FROM alarms a WHERE a.ticket_id = g.ticket_id AND a.metric = g.metric
                      AND a.version = g.version AND a.kind = 'breach')::int AS breaches
             FROM ticket_targets g WHERE g.ticket_id = ANY($1::uuid[])`,
          [logged.map((t) => t.id)],
        )
      ).rows as { warnings: number; breaches: number }[];
    await waitFor(
      async () => (await current()).every((r) => r.warnings === 1 && r.breaches === 1),
      { timeoutMs: 60_000, what: 'the warning and breach of every current target version' },
    );
    expect((await current()).length).toBeGreaterThanOrEqual(TICKETS);

    // Each recorded alarm got its one mail to the admins, and no alarm job failed.
    const mails = await h.pg.query(
      `SELECT a.ticket_id, count(DISTINCT a.id)::int AS alarms,
              (SELECT count(*) FROM outbound_mails m WHERE m.ticket_id = a.ticket_id AND m.kind LIKE 'alarm.%')::int AS mails
         FROM alarms a WHERE a.ticket_id = ANY($1::uuid[]) GROUP BY a.ticket_id`,
      [logged.map((t) => t.id)],
    );
    for (const r of mails.rows) expect(r.mails).toBe(r.alarms);
    const queue = new Queue(QUEUES.alarms, {
      connection: { url: TEST_REDIS_URL },
      prefix: h.prefix,
    });
    try {
      expect(await queue.getJobCountByTypes('failed')).toBe(0);
    } finally {
      await queue.close();
    }

    // The two paths take their locks in one order: PostgreSQL saw no deadlock to break.
    await new Promise((r) => setTimeout(r, 1500)); // statistics are flushed within a second
    expect((await deadlocks()) - before).toBe(0);
  });
});
