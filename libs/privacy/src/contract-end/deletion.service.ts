import { AuditService } from '@app/audit';
import { AppConfig } from '@app/config';
import { IdentityService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { contractPlan, dayOf } from './contract-dates';
import { DELETION_STEPS, nextStep } from './deletion-steps';

/** Serialises the contract check across worker processes. */
const CONTRACT_CHECK_LOCK = 7_641_701;

export interface DeletionRow {
  id: string;
  organization_id: string;
  organization_name: string;
  contract_ends_on: string;
  state: 'running' | 'done';
  step: string;
  counts: Record<string, number>;
  batches: number;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/**
 * The worker's side of contract end: the daily look at every contract (warnings by mail to the
 * admins and the organisation's customer admins, one per threshold; the deletions that are due),
 * and one batch of a deletion at a time, each in its own transaction with its progress.
 */
@Injectable()
export class DeletionService {
  private readonly logger = new Logger(DeletionService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly identity: IdentityService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Sends the warnings due today and opens the deletions due; returns the running deletions' ids. */
  async check(now = new Date()): Promise<string[]> {
    const today = dayOf(now);
    const rules = {
      deletionAfterDays: this.config.CONTRACT_DELETION_AFTER_DAYS,
      warningDays: this.config.contractWarningDays,
    };
    const mails: {
      to: string[];
      subject: string;
      body: string;
      headers: Record<string, string>;
    }[] = [];
    const started: { id: string; ends: string }[] = [];
    await this.db.transaction(async (m) => {
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        CONTRACT_CHECK_LOCK,
      ]);
      if (!locked) return;
      const orgs: { id: string; name: string; ends: string }[] = await m.query(
        `SELECT o.id, o.name, to_char(o.contract_ends_on, 'YYYY-MM-DD') AS ends FROM organizations o
          WHERE o.contract_ends_on IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM organization_deletions d WHERE d.organization_id = o.id)`,
      );
      for (const o of orgs) {
        const plan = contractPlan(o.ends, today, rules);
        if (plan.deletionDue) {
          const [d] = await m.query(
            `INSERT INTO organization_deletions (organization_id, organization_name, contract_ends_on, state, step)
             VALUES ($1, $2, $3, 'running', $4) ON CONFLICT (organization_id) DO NOTHING RETURNING id`,
            [o.id, o.name, o.ends, DELETION_STEPS[0].kind],
          );
          if (d) {
            this.logger.log(`deletion of ${o.name} (${o.id}) starts: contract ended ${o.ends}`);
            started.push({ id: d.id, ends: o.ends });
          }
          continue;
        }
        if (!plan.warning) continue;
        const [sent] = await m.query(
          `INSERT INTO contract_warnings (organization_id, kind, days_before, contract_ends_on)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1 AS sent`,
          [o.id, plan.warning.kind, plan.warning.daysBefore, o.ends],
        );
        if (!sent) continue;
        const customerAdmins: { email: string }[] = await m.query(
          `SELECT email FROM users WHERE organization_id = $1 AND role = 'customer_admin' AND active`,
          [o.id],
        );
        const admins = (await this.identity.admins(m)).map((a) => a.email);
        const to = [
          ...new Set([
            ...admins,
            ...this.config.adminAlertEmails,
            ...customerAdmins.map((u) => u.email),
          ]),
        ];
        // The header lets the deletion find the warnings among the mails it removes.
        const headers = { 'X-Helpdesk-Organization': o.id };
        mails.push(
          plan.warning.kind === 'contract_end'
            ? {
                headers,
                to,
                subject: `Contract of ${o.name} ends on ${o.ends}`,
                body:
                  `The support contract of ${o.name} ends on ${o.ends}.\n\n` +
                  `${rules.deletionAfterDays} days later, on ${plan.deletionStartsOn}, the deletion of all its data starts ` +
                  `(users, tickets, messages, mails, attachments, audit entries). Take an export before then if it is needed.\n`,
              }
            : {
                headers,
                to,
                subject: `Data of ${o.name} will be deleted from ${plan.deletionStartsOn}`,
                body:
                  `The support contract of ${o.name} ended on ${o.ends}. On ${plan.deletionStartsOn} the deletion of all its ` +
                  `data starts and cannot be undone. Take an export now if it is needed.\n`,
              },
        );
      }
    });
    for (const s of started)
      await this.audit.log({
        action: 'organization.deletion.started',
        actor: null,
        object: { type: 'organization_deletion', id: s.id },
        details: { contractEndsOn: s.ends },
      });
    for (const mail of mails)
      if (mail.to.length) await this.notifications.send({ ...mail, kind: 'contract' });
    const running: { id: string }[] = await this.db.query(
      `SELECT id FROM organization_deletions WHERE state = 'running' ORDER BY started_at`,
    );
    return running.map((r) => r.id);
  }

  async get(id: string): Promise<DeletionRow | null> {
    const [row] = await this.db.query(
      `SELECT id, organization_id, organization_name, to_char(contract_ends_on, 'YYYY-MM-DD') AS contract_ends_on,
              state, step, counts, batches, started_at, updated_at, finished_at
         FROM organization_deletions WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * One batch of a deletion, with its progress, in one transaction (a worker killed in the middle
   * leaves the batch undone, never half-counted). Returns false once the deletion is finished.
   */
  async runBatch(id: string): Promise<boolean> {
    const batch = this.config.DELETION_BATCH_SIZE;
    const result = await this.db.transaction(async (m) => {
      const [d]: DeletionRow[] = await m.query(
        `SELECT id, organization_id, state, step, counts FROM organization_deletions WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!d || d.state === 'done') return { more: false, finished: false };
      const step = DELETION_STEPS.find((s) => s.kind === d.step)!;
      if (step.keep) await m.query(`SELECT set_config('helpdesk.audit_purge', 'on', true)`);
      const args: unknown[] = [d.organization_id, batch];
      if (step.keep) args.push(this.config.AUDIT_LEGAL_KEEP_DAYS);
      const res = await m.query(step.sql, args);
      const n = Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
      if (step.keep) await m.query(`SELECT set_config('helpdesk.audit_purge', 'off', true)`);
      const counts = { ...d.counts, [step.kind]: (d.counts[step.kind] ?? 0) + n };
      const stepDone = step.kind === 'organization' || n < batch;
      const next = stepDone ? nextStep(step.kind) : step.kind;
      await m.query(
        `UPDATE organization_deletions SET counts = $2, step = $3, batches = batches + 1, updated_at = now(),
                state = $4, finished_at = CASE WHEN $4 = 'done' THEN now() END
          WHERE id = $1`,
        [id, counts, next ?? 'done', next ? 'running' : 'done'],
      );
      return { more: next !== null, finished: next === null };
    });
    if (result.finished) {
      const done = (await this.get(id))!;
      this.logger.log(`deletion ${id} finished: ${JSON.stringify(done.counts)}`);
      await this.audit.log({
        action: 'organization.deletion.finished',
        actor: null,
        object: { type: 'organization_deletion', id },
        details: { counts: done.counts },
      });
    }
    return result.more;
  }
}
