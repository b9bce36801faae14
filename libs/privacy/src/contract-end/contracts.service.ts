import { AppConfig, invalid, notFound } from '@app/config';
import { AuthUser } from '@app/identity';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, dayOf, deletionDeadline, isDate } from './contract-dates';
import { DELETION_STEPS } from './deletion-steps';
import type { DeletionRow } from './deletion.service';

export interface DeletionView {
  id: string;
  organizationId: string;
  organizationName: string;
  contractEndsOn: string;
  state: 'running' | 'done';
  /** The step under way (`done` at the end) and how far through the steps. */
  step: string;
  stepsDone: number;
  steps: number;
  /** Rows deleted so far, per kind: at the end, the deletion certificate. */
  counts: Record<string, number>;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The last day by which the deletion must be complete, and whether that has passed unfinished. */
  completeBy: string;
  overdue: boolean;
}

export interface ContractView {
  organizationId: string;
  contractEndsOn: string | null;
  deletionStartsOn: string | null;
  /** The last day by which the deletion must be complete (30 days after it starts). */
  deletionCompleteBy: string | null;
  /** Past that day and the data not yet all deleted. */
  deletionOverdue: boolean;
  warnings: { kind: string; daysBefore: number; sentAt: string }[];
  deletion: DeletionView | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
export const toDeletionView = (r: DeletionRow, deletionAfterDays: number): DeletionView => {
  const i = DELETION_STEPS.findIndex((s) => s.kind === r.step);
  const deadline = deletionDeadline(
    addDays(r.contract_ends_on, deletionAfterDays),
    dayOf(Date.now()),
    r.finished_at !== null,
  );
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    contractEndsOn: r.contract_ends_on,
    state: r.state,
    step: r.step,
    stepsDone: i < 0 ? DELETION_STEPS.length : i,
    steps: DELETION_STEPS.length,
    counts: r.counts,
    startedAt: iso(r.started_at)!,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
    completeBy: deadline.completeBy,
    overdue: deadline.overdue,
  };
};

const DELETION_COLS = `id, organization_id, organization_name, to_char(contract_ends_on, 'YYYY-MM-DD') AS contract_ends_on,
  state, step, counts, batches, started_at, updated_at, finished_at`;

/** The api's side of contract end: the date (admins set it), the warnings sent, the deletion's progress. */
@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async get(viewer: AuthUser, organizationId: string): Promise<ContractView> {
    if (viewer.organizationId && viewer.organizationId !== organizationId)
      throw notFound('organization_not_found', `No organisation ${organizationId}.`);
    const [org] = await this.db.query(
      `SELECT id, to_char(contract_ends_on, 'YYYY-MM-DD') AS ends FROM organizations WHERE id = $1`,
      [organizationId],
    );
    const [deletion] = await this.db.query(
      `SELECT ${DELETION_COLS} FROM organization_deletions WHERE organization_id = $1`,
      [organizationId],
    );
    if (!org && !deletion)
      throw notFound('organization_not_found', `No organisation ${organizationId}.`);
    const ends: string | null = org?.ends ?? deletion?.contract_ends_on ?? null;
    const warnings = org
      ? await this.db.query(
          `SELECT kind, days_before, sent_at FROM contract_warnings WHERE organization_id = $1 ORDER BY sent_at`,
          [organizationId],
        )
      : [];
    const startsOn = ends ? addDays(ends, this.config.CONTRACT_DELETION_AFTER_DAYS) : null;
    const deadline = startsOn
      ? deletionDeadline(startsOn, dayOf(Date.now()), !!deletion?.finished_at)
      : null;
    return {
      organizationId,
      contractEndsOn: ends,
      deletionStartsOn: startsOn,
      deletionCompleteBy: deadline?.completeBy ?? null,
      deletionOverdue: deadline?.overdue ?? false,
      warnings: warnings.map((w: { kind: string; days_before: number; sent_at: Date }) => ({
        kind: w.kind,
        daysBefore: w.days_before,
        sentAt: iso(w.sent_at)!,
      })),
      deletion: deletion
        ? toDeletionView(deletion, this.config.CONTRACT_DELETION_AFTER_DAYS)
        : null,
    };
  }

  /** Sets (or clears, with null) the contract end date: today or later, and not once deletion has begun. */
  async set(
    viewer: AuthUser,
    organizationId: string,
    endsOn: string | null,
  ): Promise<ContractView> {
    if (endsOn !== null && !isDate(endsOn))
      throw invalid(
        'contract_end_invalid',
        'contractEndsOn must be a date such as 2027-03-31, or null.',
      );
    if (endsOn !== null && endsOn < dayOf(Date.now()))
      throw invalid('contract_end_in_past', 'contractEndsOn must be today or later.');
    const [deletion] = await this.db.query(
      `SELECT 1 FROM organization_deletions WHERE organization_id = $1`,
      [organizationId],
    );
    if (deletion)
      throw invalid(
        'deletion_started',
        "The organisation's data is being deleted: its contract end can no longer change.",
      );
    const [, n] = await this.db.query(
      `UPDATE organizations SET contract_ends_on = $2 WHERE id = $1`,
      [organizationId, endsOn],
    );
    if (!n) throw notFound('organization_not_found', `No organisation ${organizationId}.`);
    return this.get(viewer, organizationId);
  }

  async deletions(): Promise<DeletionView[]> {
    const rows = await this.db.query(
      `SELECT ${DELETION_COLS} FROM organization_deletions ORDER BY started_at DESC`,
    );
    return rows.map((r: DeletionRow) =>
      toDeletionView(r, this.config.CONTRACT_DELETION_AFTER_DAYS),
    );
  }
}
