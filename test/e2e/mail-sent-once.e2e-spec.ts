// An alarm mail the SMTP server accepted is never sent again: not when PostgreSQL becomes unreachable
// just after the acceptance (its "sent" mark waits for the database), and a mail job left on a
// SIGKILLed worker goes out from another worker within seconds (short BullMQ lock), once.
jest.setTimeout(180_000);
import { Queues } from '@app/config';
import { NotificationsService } from '@app/notifications';
import { CapturedMail } from '../support/smtp-sink';
import {
  createTicket,
  fastCustomer,
  Harness,
  startHarness,
  WorkerProcess,
} from '../support/harness';
import { TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';

describe('an accepted mail is sent once', () => {
  let h: Harness;
  let proxy: TcpProxy;
  let customer: string;
  let admins: string[];
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness({
      worker: false,
      env: { RECONCILE_INTERVAL_MS: '2000', MAIL_ATTEMPTS: '10' },
    });
    const db = new URL(h.db.url);
    proxy = await new TcpProxy({ host: db.hostname, port: Number(db.port || 5432) }).start();
    // The worker reaches PostgreSQL through the proxy; the api and the test directly.
    workerEnv = { ...h.env, DATABASE_URL: proxy.via(h.db.url) };
    const admin = await h.login('admin@helpdesk.test');
    const c = await fastCustomer(h, admin, 'sentonce', [4, 600, 600], false);
    customer = await h.login(c.email);
    admins = (
      await h.pg.query(`SELECT email FROM users WHERE role = 'admin' AND active ORDER BY email`)
    ).rows.map((r) => r.email);
    expect(admins.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.close();
  });

  const alarmMails = async (ticketId: string) =>
    (
      await h.pg.query(
        `SELECT id, message_id, kind, status FROM outbound_mails WHERE ticket_id = $1 AND kind LIKE 'alarm.%' ORDER BY kind`,
        [ticketId],
      )
    ).rows as { id: string; message_id: string; kind: string; status: string }[];
  const waitUntilSent = (ticketId: string, n: number) =>
    waitFor(
      async () => {
        const rows = await alarmMails(ticketId);
        return rows.length === n && rows.every((r) => r.status === 'sent') && rows;
      },
      { timeoutMs: 60_000, what: `${n} alarm mails of the ticket marked sent` },
    );
  /** How many times each admin received the mail with this Message-ID. */
  const receipts = (messageId: string) =>
    Object.fromEntries(
      admins.map((a) => [
        a,
        h.smtp.mails.filter((m) => m.messageId === messageId && m.to.includes(a)).length,
      ]),
    );

  it('PostgreSQL unreachable right after the SMTP server accepted: each admin gets the mail once, and it ends marked sent', async () => {
    const worker = await new WorkerProcess(workerEnv).start();
    let ticketId = '';
    let cut: CapturedMail | undefined;
    h.smtp.onAccept = (m) => {
      if (cut || !ticketId || !m.text.includes(ticketId) || !/SLA warning/.test(m.subject)) return;
      cut = m;
      proxy.cut();
      setTimeout(() => proxy.restore(), 4_000);
    };
    try {
      ticketId = (
        await createTicket(h, customer, { subject: 'cut', description: 'x', severity: 1 })
      ).id;
      // Warning at 2 s (its mail cuts the database off for 4 s), breach at 4 s (while cut off).
      const rows = await waitUntilSent(ticketId, 2);
      expect(cut).toBeDefined();
      expect(rows.map((r) => r.kind)).toEqual(['alarm.breach', 'alarm.warning']);
      const warning = rows.find((r) => r.kind === 'alarm.warning')!;
      expect(cut!.messageId).toBe(warning.message_id);
      // A resent mail would arrive before its mark; give a straggler a moment anyway.
      await new Promise((ok) => setTimeout(ok, 1_000));
      for (const r of rows)
        expect(receipts(r.message_id)).toEqual(Object.fromEntries(admins.map((a) => [a, 1])));
      expect(worker.output).toMatch(
        /accepted by the SMTP server but marking it sent failed \(try 1\)/,
      );
    } finally {
      h.smtp.onAccept = undefined;
      proxy.restore();
      await worker.kill();
    }
  });

  it('a worker killed while it waits to mark an accepted mail: the next worker only marks it', async () => {
    const first = await new WorkerProcess(workerEnv).start();
    let second: WorkerProcess | undefined;
    let ticketId = '';
    let cut = false;
    h.smtp.onAccept = (m) => {
      if (cut || !ticketId || !m.text.includes(ticketId) || !/SLA warning/.test(m.subject)) return;
      cut = true;
      proxy.cut();
    };
    try {
      ticketId = (
        await createTicket(h, customer, {
          subject: 'cut and killed',
          description: 'x',
          severity: 1,
        })
      ).id;
      await waitFor(() => /marking it sent failed \(try 2\)/.test(first.output), {
        what: 'the worker to retry the mark',
      });
      await first.kill('SIGKILL');
      proxy.restore();
      second = await new WorkerProcess(workerEnv).start();
      const rows = await waitUntilSent(ticketId, 2);
      await new Promise((ok) => setTimeout(ok, 1_000));
      for (const r of rows)
        expect(receipts(r.message_id)).toEqual(Object.fromEntries(admins.map((a) => [a, 1])));
    } finally {
      h.smtp.onAccept = undefined;
      proxy.restore();
      await first.kill();
      await second?.kill();
    }
  });

  it('a worker killed while a mail job is active: another worker sends it within seconds, once', async () => {
    const first = await new WorkerProcess(workerEnv).start();
    const queues = h.api.get(Queues);
    h.smtp.hold();
    let killedAt = 0;
    let second: WorkerProcess | undefined;
    try {
      const ticketId = (
        await createTicket(h, customer, { subject: 'killed', description: 'x', severity: 1 })
      ).id;
      await waitFor(async () => (await alarmMails(ticketId)).length >= 1, {
        what: 'the warning mail to be recorded',
      });
      await waitFor(
        async () => h.smtp.heldConnections > 0 && (await queues.mail.getActiveCount()) > 0,
        { what: 'the mail job to be active, its SMTP connection waiting' },
      );
      await first.kill('SIGKILL');
      killedAt = Date.now();
      h.smtp.release();
      second = await new WorkerProcess(workerEnv).start();
      const [warning] = await alarmMails(ticketId);
      const mail = await h.smtp.waitForMail((m) => m.messageId === warning.message_id, 30_000);
      expect(Date.now() - killedAt).toBeLessThan(20_000);
      await waitFor(async () => (await alarmMails(ticketId))[0]?.status === 'sent', {
        what: 'the warning mail marked sent',
      });
      await new Promise((ok) => setTimeout(ok, 1_000));
      expect(receipts(mail.messageId)).toEqual(Object.fromEntries(admins.map((a) => [a, 1])));
    } finally {
      h.smtp.release();
      await first.kill();
      await second?.kill();
    }
  });

  it('the mail worker logs every failed attempt with its number, error, mail id and job id', async () => {
    const worker = await new WorkerProcess(workerEnv).start();
    try {
      proxy.cut();
      const mail = await h.api.get(NotificationsService).send({
        to: [admins[0]],
        subject: 'sent while the database is away',
        body: 'x',
        kind: 'test',
      });
      const failed = (n: number) => `mail ${mail.id} (job mail-${mail.id}) attempt ${n} failed`;
      await waitFor(() => worker.output.includes(failed(2)), {
        what: 'two failed attempts in the log',
      });
      expect(worker.output).toContain(`${failed(1)}: `);
      proxy.restore();
      await h.smtp.waitForMail((m) => m.messageId === mail.messageId);
    } finally {
      proxy.restore();
      await worker.kill();
    }
  });
});
