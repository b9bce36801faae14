import {
  ALARM_WORKER_OPTIONS,
  AlarmJobData,
  annotateLog,
  AppConfig,
  inJobContext,
  transactionWithRetry,
  QUEUES,
  REDIS,
} from '@app/config';
import { IdentityService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { reference, TicketAccess, TicketsService, UNVETTED } from '@app/tickets';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DelayedError, Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { alarmDue } from './alarm-due';
import { alarmMail } from './alarm-mail';
import { alarmLateness, alarmsFired } from './metrics';

/**
 * Fires SLA alarms. When a job runs it re-reads the target row: a met, re-timed (other version) or
 * closed target does nothing; otherwise the alarm is inserted under its unique key, so a second
 * firing, a retry or a second worker changes nothing. A breach may escalate (policy), and the admins
 * (and on escalation the next level's agents) get mails recorded in the same transaction. Locks: the
 * ticket row, then its target row, the order every path that changes targets takes; a deadlock or
 * serialization failure is run again (transactionWithRetry).
 */
@Injectable()
export class AlarmProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlarmProcessor.name);
  private connection?: Redis;
  private worker?: Worker<AlarmJobData>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tickets: TicketsService,
    private readonly identity: IdentityService,
    private readonly notifications: NotificationsService,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<AlarmJobData>(
      QUEUES.alarms,
      (job, token) => inJobContext(job, () => this.process(job, token)),
      {
        connection: (this.connection = this.redis.duplicate()),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.config.ALARM_CONCURRENCY,
        ...ALARM_WORKER_OPTIONS,
      },
    );
    this.worker.on('error', (err) => this.logger.error(`alarm worker: ${err.message}`));
    this.worker.on('failed', (job, err) =>
      inJobContext(job ?? { queueName: QUEUES.alarms }, () =>
        this.logger.error(
          `alarm job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`,
        ),
      ),
    );
  }

  async process(job: Job<AlarmJobData>, token?: string): Promise<'fired' | 'skipped'> {
    const { ticketId, metric, kind, version } = job.data;
    const mailIds: string[] = [];
    const outcome = await transactionWithRetry(
      this.db,
      async (m) => {
        mailIds.length = 0;
        // The ticket first, then its target: the order every writer of a ticket takes its locks in
        // (a status change holds the ticket and waits for the targets), so the two never deadlock.
        await m.query(`SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, [ticketId]);
        const [row] = await m.query(
          `SELECT g.*, t.status, t.kind AS ticket_kind, t.subject, t.severity, t.support_level, t.number, t.sensitive, o.name AS organization, p.document AS policy
           FROM ticket_targets g JOIN tickets t ON t.id = g.ticket_id JOIN organizations o ON o.id = t.organization_id
           JOIN sla_policies p ON p.id = t.policy_id
          WHERE g.ticket_id = $1 AND g.metric = $2 AND g.version = $3 FOR UPDATE OF g`,
          [ticketId, metric, version],
        );
        if (row) annotateLog({ ticket: reference(row.number) });
        if (
          !row ||
          row.version !== version ||
          row.stopped_at ||
          ['resolved', 'closed'].includes(row.status)
        )
          return null;
        // A warning whose breach already fired (both came due while no worker ran) still fires once:
        // every alarm of a target that was neither met, re-timed nor closed is recorded. A paused
        // round fires nothing (its due time comes back, with a new version, when it resumes).
        if (!['running', 'breached'].includes(row.state)) return null;
        const due = alarmDue(kind, row);
        if (!due) return null;
        const early = new Date(due).getTime() - Date.now();
        if (early > 50 && token) {
          // This worker's clock is behind the due time: fire at the due time, never early.
          await job.moveToDelayed(new Date(due).getTime(), token);
          throw new DelayedError();
        }
        const [alarm] = await m.query(
          `INSERT INTO alarms (ticket_id, metric, kind, version, due_at, round) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (ticket_id, metric, kind, version) DO NOTHING RETURNING fired_at`,
          [ticketId, metric, kind, version, due, row.round],
        );
        if (!alarm) return null;
        const firedAt = new Date(alarm.fired_at);
        let level = row.support_level as number;
        let escalatedTo: number | null = null;
        if (kind === 'breach') {
          await m.query(
            `UPDATE ticket_targets SET state = 'breached' WHERE ticket_id = $1 AND metric = $2 AND round = $3`,
            [ticketId, metric, row.round],
          );
          if (row.policy?.escalateOnBreach && level < 3) {
            const res = await this.tickets.changeSupportLevel(
              null,
              ticketId,
              level + 1,
              `automatic: ${metric} target breached`,
              m,
            );
            if (res.changed) escalatedTo = level = res.to;
          }
        }
        const facts = {
          reference: reference(row.number),
          subject: row.subject,
          organization: row.organization,
          severity: row.severity,
          metric,
          kind,
          dueAt: new Date(due),
          firedAt,
          supportLevel: level,
          // One mail to every admin and the extra alert addresses: an audience nobody vetted.
          restricted: !TicketAccess.maySeeContent(UNVETTED, row),
          publicUrl: this.config.PUBLIC_URL,
          ticketId,
          round: row.round,
          ticketKind: row.ticket_kind,
        };
        const admins = [
          ...(await this.identity.admins(m)).map((a) => a.email),
          ...this.config.adminAlertEmails,
        ];
        const mail = alarmMail(facts);
        mailIds.push(
          (
            await this.notifications.record(
              { to: admins, ...mail, kind: `alarm.${kind}`, ticketId },
              m,
            )
          ).id,
        );
        if (escalatedTo) {
          const agents = (await this.identity.agentsAtLevel(escalatedTo, m)).filter((a) =>
            TicketAccess.maySeeContent(a, row),
          );
          if (agents.length) {
            mailIds.push(
              (
                await this.notifications.record(
                  {
                    to: agents.map((a) => a.email),
                    subject: `[${facts.reference}] escalated to support level ${escalatedTo} after an SLA breach`,
                    body: `${mail.body}\n\nThe ticket was escalated automatically to support level ${escalatedTo}.`,
                    kind: 'escalation',
                    ticketId,
                  },
                  m,
                )
              ).id,
            );
          }
        }
        return {
          lateness: (firedAt.getTime() - new Date(due).getTime()) / 1000,
          reference: facts.reference,
          escalatedTo,
        };
      },
      { what: `${kind} alarm of ticket ${ticketId}` },
    );
    if (!outcome) return 'skipped';
    this.logger.log(
      `${kind} alarm of ${outcome.reference} (${metric}) fired ${outcome.lateness.toFixed(3)} s after its due time${outcome.escalatedTo ? `; escalated to level ${outcome.escalatedTo}` : ''}`,
    );
    alarmLateness.observe({ kind }, outcome.lateness);
    alarmsFired.inc({ kind });
    await this.notifications.dispatch(mailIds);
    return 'fired';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
