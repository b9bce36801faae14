// Alarms survive: two workers at once (each alarm exactly once), a worker killed with SIGKILL and
// restarted, and Redis keys flushed (the reconciler rebuilds every timer from PostgreSQL).
jest.setTimeout(180_000);
import { alarmJobId, Queues } from '@app/config';
import {
  createTicket,
  fastCustomer,
  flushPrefix,
  Harness,
  startHarness,
  WorkerProcess,
} from '../support/harness';
import { waitFor } from '../support/wait';

describe('alarm resilience', () => {
  let h: Harness;
  let admin: string;
  let customer: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { RECONCILE_INTERVAL_MS: '2000', ALARM_CONCURRENCY: '20' },
    });
    admin = await h.login('admin@helpdesk.test');
    const c = await fastCustomer(h, admin, 'resilient', [4, 8, 12], false);
    customer = await h.login(c.email);
  });
  afterAll(() => h.close());

  const alarmRows = async (ids: string[]) =>
    (
      await h.pg.query(
        `SELECT ticket_id, kind, version, due_at, fired_at FROM alarms WHERE ticket_id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows;
  const waitForAlarms = (ids: string[], n: number, what: string) =>
    waitFor(async () => (await alarmRows(ids)).length >= n, { timeoutMs: 60_000, what });
  const makeTickets = async (n: number, severity: number) => {
    const made = [];
    for (let i = 0; i < n; i++)
      made.push(await createTicket(h, customer, { subject: `t${i}`, description: 'x', severity }));
    return made.map((t) => t.id as string);
  };

  it('two worker processes at once fire every alarm exactly once', async () => {
    const a = await new WorkerProcess(h.env).start();
    const b = await new WorkerProcess(h.env).start();
    try {
      const ids = await makeTickets(30, 1);
      await waitForAlarms(ids, 60, 'warning and breach of 30 tickets');
      // A duplicate job for an alarm that fired (a retry, a second firing) changes nothing.
      const queues = h.api.get(Queues);
      await queues.alarms.add(
        'alarm',
        { ticketId: ids[0], metric: 'first_response', kind: 'breach', version: 1 },
        { jobId: `dup-${ids[0]}` },
      );
      await waitFor(async () => !(await queues.alarms.getJob(`dup-${ids[0]}`)), {
        what: 'the duplicate job to run',
      });
      const rows = await alarmRows(ids);
      expect(rows).toHaveLength(60);
      const keys = rows.map((r) => `${r.ticket_id}/${r.kind}/${r.version}`);
      expect(new Set(keys).size).toBe(60);
      await waitFor(
        () =>
          h.smtp.mails.filter(
            (m) => /SLA BREACH/.test(m.subject) && ids.some((id) => m.text.includes(id)),
          ).length >= 30,
        { what: '30 breach mails' },
      );
      const mails = await h.pg.query(
        `SELECT kind, count(*)::int AS n FROM outbound_mails WHERE ticket_id = ANY($1::uuid[]) GROUP BY kind ORDER BY kind`,
        [ids],
      );
      expect(mails.rows).toEqual([
        { kind: 'alarm.breach', n: 30 },
        { kind: 'alarm.warning', n: 30 },
      ]);
      expect(
        h.smtp.mails.filter(
          (m) => /SLA BREACH/.test(m.subject) && ids.some((id) => m.text.includes(id)),
        ),
      ).toHaveLength(30);
    } finally {
      await a.kill();
      await b.kill();
    }
  });

  it('a worker killed with SIGKILL and restarted still fires its alarms', async () => {
    const w = await new WorkerProcess(h.env).start();
    const ids = await makeTickets(5, 2); // warning at 4 s, breach at 8 s
    await waitForAlarms(ids, 5, 'the five warnings');
    await w.kill('SIGKILL');
    const restarted = await new WorkerProcess(h.env).start();
    try {
      await waitForAlarms(ids, 10, 'the five breaches after the restart');
      const rows = await alarmRows(ids);
      expect(rows.filter((r) => r.kind === 'breach')).toHaveLength(5);
      for (const r of rows)
        expect(new Date(r.fired_at).getTime()).toBeGreaterThanOrEqual(new Date(r.due_at).getTime());
    } finally {
      await restarted.kill();
    }
  });

  it('a worker killed while its alarms come due fires them when it starts again', async () => {
    const w = await new WorkerProcess(h.env).start();
    await w.kill('SIGKILL');
    const ids = await makeTickets(5, 1); // due while no worker runs
    await waitFor(
      async () =>
        (
          await h.pg.query(
            `SELECT count(*)::int AS n FROM ticket_targets WHERE ticket_id = ANY($1::uuid[]) AND due_at < now()`,
            [ids],
          )
        ).rows[0].n === 5,
      {
        what: 'the targets to come due',
      },
    );
    expect(await alarmRows(ids)).toHaveLength(0);
    const again = await new WorkerProcess(h.env).start();
    try {
      // Warning and breach both came due while no worker ran: each still fires exactly once.
      await waitForAlarms(ids, 10, 'the missed alarms');
      const rows = await alarmRows(ids);
      expect(new Set(rows.map((r) => `${r.ticket_id}/${r.kind}`)).size).toBe(10);
    } finally {
      await again.kill();
    }
  });

  it('Redis keys flushed before a worker starts: the reconciler at start restores every timer', async () => {
    const ids = await makeTickets(20, 2);
    const queues = h.api.get(Queues);
    expect(
      await queues.alarms.getJob(
        alarmJobId({ ticketId: ids[0], metric: 'first_response', kind: 'breach', version: 1 }),
      ),
    ).toBeTruthy();
    expect(await flushPrefix(h.prefix)).toBeGreaterThan(0);
    expect(
      await queues.alarms.getJob(
        alarmJobId({ ticketId: ids[0], metric: 'first_response', kind: 'breach', version: 1 }),
      ),
    ).toBeFalsy();
    const w = await h.startWorker();
    await waitForAlarms(ids, 40, 'every warning and breach after the flush');
    expect(await alarmRows(ids)).toHaveLength(40);
    void w;
  });

  it('Redis keys flushed under a running worker: the periodic reconciler restores every timer', async () => {
    const ids = await makeTickets(20, 3); // warning at 6 s, breach at 12 s
    await flushPrefix(h.prefix);
    await waitForAlarms(ids, 40, 'every warning and breach after the flush');
    const rows = await alarmRows(ids);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => `${r.ticket_id}/${r.kind}`)).size).toBe(40);
    void auth;
  });
});
