import {
  applyClockTriggers,
  rulesFor,
  type ClockTrigger,
  type Metric,
  type ResolvedRule,
  type RoundChange,
  type Severity,
  type SlaPolicy,
  type TargetRound,
  type TicketKind,
} from '@app/sla';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TimerRow } from './sla-timers';
import { TargetRow, TicketRow, TicketsRepository } from './tickets.repository';

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());
const date = (n: number | null) => (n === null ? null : new Date(n));

export function toRound(r: TargetRow): TargetRound {
  return {
    metric: r.metric as Metric,
    round: r.round,
    clock: r.clock === 'calendar' ? 'calendar' : 'business',
    targetSeconds: r.target_seconds,
    startedAt: ms(r.started_at)!,
    dueAt: ms(r.due_at),
    warningAt: ms(r.warning_at),
    warningSeconds: r.warning_seconds,
    state: r.state as TargetRound['state'],
    stoppedAt: ms(r.stopped_at),
    pausedAt: ms(r.paused_at),
    leftSeconds: r.left_seconds,
    pausedSeconds: r.paused_seconds ?? 0,
    pausable: r.pausable,
    version: r.version,
  };
}

export const timerOf = (ticketId: string, r: TargetRound): TimerRow | null =>
  r.state === 'running' && r.dueAt !== null && r.stoppedAt === null
    ? { ticketId, metric: r.metric, dueAt: r.dueAt, warningAt: r.warningAt, version: r.version }
    : null;

const WORDS: Record<Metric, string> = {
  first_response: 'first response',
  next_response: 'next response',
  periodic_update: 'periodic update',
  resolution: 'resolution',
  notification: 'security notification',
};

/** What the clocks of one ticket need to do after the transaction commits. */
export interface ClockWork {
  schedule: TimerRow[];
  unschedule: TimerRow[];
}

/** The targets in force for a ticket. */
export const ticketRules = (policy: SlaPolicy, t: Pick<TicketRow, 'severity' | 'kind'>) =>
  rulesFor(policy, t.severity as Severity, (t.kind ?? 'standard') as TicketKind);

/**
 * The clocks of a ticket's targets, inside the ticket's transaction (its row locked): the rounds move
 * by the rules of @app/sla, the rows are written, each pause and resume goes on the ticket's
 * history, and the alarm jobs to add and remove after the commit are returned.
 */
@Injectable()
export class TicketClocks {
  constructor(private readonly repo: TicketsRepository) {}

  async apply(
    m: EntityManager,
    ticket: TicketRow,
    policy: SlaPolicy,
    triggers: ClockTrigger[],
    actorId: string | null,
    work: ClockWork = { schedule: [], unschedule: [] },
    rules: ResolvedRule[] = ticketRules(policy, ticket),
  ): Promise<ClockWork> {
    if (!triggers.length) return work;
    const rows: TargetRow[] = await m.query(
      `SELECT * FROM ticket_targets WHERE ticket_id = $1 ORDER BY metric, round FOR UPDATE`,
      [ticket.id],
    );
    const { changes } = applyClockTriggers(
      { policy, rules, receivedAt: ms(ticket.received_at)!, status: ticket.status },
      rows.map(toRound),
      triggers,
    );
    for (const c of changes) await this.write(m, ticket.id, c.after);
    for (const c of changes) {
      const old = c.before && timerOf(ticket.id, c.before);
      const now = timerOf(ticket.id, c.after);
      if (old && (!now || now.version !== old.version)) work.unschedule.push(old);
      if (now && (!old || now.version !== old.version)) work.schedule.push(now);
    }
    for (const kind of ['paused', 'resumed'] as const) {
      const moved = changes.filter((c) => c.what.includes(kind) && !cancelled(c));
      if (!moved.length) continue;
      const metrics = moved.map((c) => WORDS[c.after.metric]).join(', ');
      await this.repo.addHistory(
        m,
        ticket.id,
        actorId,
        'clock',
        kind === 'paused' ? 'running' : 'paused',
        kind === 'paused' ? 'paused' : 'running',
        kind === 'paused' ? `waiting on the customer: ${metrics} paused` : `${metrics} resumed`,
      );
    }
    return work;
  }

  private async write(m: EntityManager, ticketId: string, r: TargetRound): Promise<void> {
    await m.query(
      `INSERT INTO ticket_targets (ticket_id, metric, round, clock, target_seconds, started_at, due_at, warning_at, warning_seconds,
                                   state, version, stopped_at, paused_at, left_seconds, paused_seconds, pausable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (ticket_id, metric, round) DO UPDATE SET clock = EXCLUDED.clock, target_seconds = EXCLUDED.target_seconds,
         due_at = EXCLUDED.due_at, warning_at = EXCLUDED.warning_at, warning_seconds = EXCLUDED.warning_seconds, state = EXCLUDED.state,
         version = EXCLUDED.version, stopped_at = EXCLUDED.stopped_at, paused_at = EXCLUDED.paused_at,
         left_seconds = EXCLUDED.left_seconds, paused_seconds = EXCLUDED.paused_seconds, pausable = EXCLUDED.pausable`,
      [
        ticketId,
        r.metric,
        r.round,
        r.clock,
        Math.round(r.targetSeconds),
        date(r.startedAt),
        date(r.dueAt),
        date(r.warningAt),
        r.warningSeconds,
        r.state,
        r.version,
        date(r.stoppedAt),
        date(r.pausedAt),
        r.leftSeconds,
        r.pausedSeconds,
        r.pausable,
      ],
    );
  }
}

/** A round paused and resumed by the same change (or started paused) is no pause worth a line. */
const cancelled = (c: RoundChange) =>
  c.what.includes('paused') && c.what.includes('resumed') && c.before?.state === c.after.state;
