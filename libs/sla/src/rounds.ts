import { advance, measure } from './measure';
import { lengthOf, warningSecondsOf, type ResolvedRule } from './rules';
import type { ClockKind, Metric, SlaPolicy } from './types';

export type RoundState = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

/**
 * One round of one target of a ticket (a row): first response, resolution and the first periodic
 * update start at receipt; each customer message arms a next-response round; each periodic update
 * starts the next one; a reopened ticket starts new resolution and periodic-update rounds.
 */
export interface TargetRound {
  metric: Metric;
  round: number;
  clock: ClockKind;
  targetSeconds: number;
  startedAt: number;
  /** null while paused: it depends on when the clock resumes. */
  dueAt: number | null;
  warningAt: number | null;
  /** Seconds of the clock used when the warning fires; null: no warning. */
  warningSeconds: number | null;
  state: RoundState;
  /** When the round was decided (met, breached by a late reply, stopped); null while open. */
  stoppedAt: number | null;
  /** Since when the clock is paused (the ticket waits on the customer); null while it runs. */
  pausedAt: number | null;
  /** Seconds of the target left when it was paused. */
  leftSeconds: number | null;
  /** Seconds of the clock spent paused so far (due times shift by it). */
  pausedSeconds: number;
  pausable: boolean;
  /** Grows whenever the due time changes: it names the alarm jobs (one version, one set). */
  version: number;
}

/** What happened on a ticket that may move its clocks. Statuses: new, open, pending, resolved, closed. */
export type ClockTrigger =
  /** A public reply by staff (not automatic). */
  | { type: 'staff_reply'; at: number }
  /** A public message by the customer. */
  | { type: 'customer_message'; at: number }
  | { type: 'status'; from: string; to: string; at: number }
  /** Re-classification: the targets now in force (each open round re-timed from its start). */
  | { type: 'retarget'; at: number; rules: ResolvedRule[] };

export type RoundChangeKind =
  'started' | 'met' | 'breached' | 'stopped' | 'paused' | 'resumed' | 'retimed';

export interface RoundChange {
  /** The row before (null: a new round). */
  before: TargetRound | null;
  after: TargetRound;
  what: RoundChangeKind[];
}

export interface TicketClocks {
  policy: SlaPolicy;
  /** The targets in force for the ticket's severity and kind. */
  rules: ResolvedRule[];
  receivedAt: number;
  /** The ticket's status before the triggers. */
  status: string;
}

const DONE = ['resolved', 'closed'];
const MET_BY_REPLY: readonly Metric[] = [
  'first_response',
  'next_response',
  'periodic_update',
  'notification',
];
/** Metrics whose round 1 starts at receipt (next response waits for a customer message). */
const FROM_RECEIPT: readonly Metric[] = [
  'first_response',
  'periodic_update',
  'resolution',
  'notification',
];

const isOpen = (r: TargetRound) => r.stoppedAt === null;

/** A new round of `rule` started at `at`. */
export function startRound(
  policy: SlaPolicy,
  rule: ResolvedRule,
  at: number,
  round = 1,
  version = 1,
): TargetRound {
  const target = lengthOf(rule, at, policy.calendar.timeZone);
  const warningSeconds = warningSecondsOf(rule.warning, target);
  return {
    metric: rule.metric,
    round,
    clock: rule.clock,
    targetSeconds: target,
    startedAt: at,
    dueAt: advance(policy, rule.clock, at, target),
    warningAt: warningSeconds === null ? null : advance(policy, rule.clock, at, warningSeconds),
    warningSeconds,
    state: 'running',
    stoppedAt: null,
    pausedAt: null,
    leftSeconds: null,
    pausedSeconds: 0,
    pausable: rule.pausable,
    version,
  };
}

function late(r: TargetRound, at: number): boolean {
  if (r.state === 'breached') return true;
  if (r.pausedAt !== null) return (r.leftSeconds ?? 0) < 0;
  return r.dueAt !== null && at > r.dueAt;
}

/** Decides a round at `at`: `outcome` unless it was late (then breached). */
export function stopRound(
  policy: SlaPolicy,
  r: TargetRound,
  at: number,
  outcome: 'met' | 'stopped',
): TargetRound {
  const pausedSeconds =
    r.pausedAt === null
      ? r.pausedSeconds
      : r.pausedSeconds + measure(policy, r.clock, r.pausedAt, Math.max(at, r.pausedAt));
  return {
    ...r,
    state: late(r, at) ? 'breached' : outcome,
    stoppedAt: at,
    pausedAt: null,
    pausedSeconds,
  };
}

/** Pauses a running round (not one already due: that breach stands). */
export function pauseRound(policy: SlaPolicy, r: TargetRound, at: number): TargetRound {
  if (!r.pausable || !isOpen(r) || r.state !== 'running' || r.dueAt === null || at >= r.dueAt)
    return r;
  return {
    ...r,
    state: 'paused',
    pausedAt: at,
    leftSeconds: measure(policy, r.clock, at, r.dueAt),
    dueAt: null,
    warningAt: null,
  };
}

/** Resumes a paused round: due after the time that was left; the warning if its point is still ahead. */
export function resumeRound(policy: SlaPolicy, r: TargetRound, at: number): TargetRound {
  if (r.pausedAt === null || !isOpen(r)) return r;
  const from = Math.max(at, r.pausedAt);
  const left = r.leftSeconds ?? 0;
  const used = r.targetSeconds - left;
  const ws = r.warningSeconds;
  return {
    ...r,
    state: 'running',
    dueAt: advance(policy, r.clock, from, Math.max(0, left)),
    warningAt: ws !== null && ws > used ? advance(policy, r.clock, from, ws - used) : null,
    pausedSeconds: r.pausedSeconds + measure(policy, r.clock, r.pausedAt, from),
    pausedAt: null,
    leftSeconds: null,
    version: r.version + 1,
  };
}

/** A new length for an open round, counted from its start (plus the time it spent paused). */
export function retimeRound(policy: SlaPolicy, r: TargetRound, rule: ResolvedRule): TargetRound {
  if (!isOpen(r)) return r;
  const target = lengthOf(rule, r.startedAt, policy.calendar.timeZone);
  const ws = warningSecondsOf(rule.warning, target);
  // The same target under the new severity: its due time and alarms stay as they are.
  if (target === r.targetSeconds && ws === r.warningSeconds) return r;
  if (r.pausedAt !== null)
    return {
      ...r,
      targetSeconds: target,
      warningSeconds: ws,
      leftSeconds: (r.leftSeconds ?? 0) + target - r.targetSeconds,
    };
  const shift = r.pausedSeconds;
  return {
    ...r,
    targetSeconds: target,
    warningSeconds: ws,
    dueAt: advance(policy, r.clock, r.startedAt, target + shift),
    warningAt: ws === null ? null : advance(policy, r.clock, r.startedAt, ws + shift),
    state: 'running',
    version: r.version + 1,
  };
}

/** Applies one trigger after another; each round that changed appears once, with all that happened to it. */
export function applyClockTriggers(
  ctx: TicketClocks,
  rounds: TargetRound[],
  triggers: ClockTrigger[],
): { rounds: TargetRound[]; changes: RoundChange[] } {
  const key = (r: TargetRound) => `${r.metric}#${r.round}`;
  const current = new Map(rounds.map((r) => [key(r), r]));
  const changes = new Map<string, RoundChange>();
  let status = ctx.status;
  const put = (after: TargetRound, what: RoundChangeKind) => {
    const k = key(after);
    const before = current.get(k) ?? null;
    if (before === after) return;
    current.set(k, after);
    const seen = changes.get(k);
    if (seen) {
      seen.after = after;
      seen.what.push(what);
    } else changes.set(k, { before, after, what: [what] });
  };
  const all = () => [...current.values()];
  const openOf = (metric: Metric) => all().find((r) => r.metric === metric && isOpen(r));
  const ruleOf = (metric: Metric) => ctx.rules.find((r) => r.metric === metric);
  const next = (rule: ResolvedRule, at: number) => {
    const same = all().filter((r) => r.metric === rule.metric);
    const round = startRound(
      ctx.policy,
      rule,
      at,
      Math.max(0, ...same.map((r) => r.round)) + 1,
      Math.max(0, ...same.map((r) => r.version)) + 1,
    );
    put(round, 'started');
    if (status === 'pending') put(pauseRound(ctx.policy, round, at), 'paused');
  };
  const decide = (r: TargetRound, at: number, outcome: 'met' | 'stopped') => {
    const after = stopRound(ctx.policy, r, at, outcome);
    put(after, after.state === 'breached' ? 'breached' : outcome);
  };

  for (const t of triggers) {
    switch (t.type) {
      case 'staff_reply': {
        const periodic = openOf('periodic_update');
        for (const r of all().filter((x) => isOpen(x) && MET_BY_REPLY.includes(x.metric)))
          decide(r, t.at, 'met');
        const rule = ruleOf('periodic_update');
        if (periodic && rule && !DONE.includes(status)) next(rule, t.at);
        break;
      }
      case 'customer_message': {
        const rule = ruleOf('next_response');
        if (rule && !DONE.includes(status) && !openOf('first_response') && !openOf('next_response'))
          next(rule, t.at);
        break;
      }
      case 'status': {
        const wasDone = DONE.includes(t.from);
        const isDone = DONE.includes(t.to);
        status = t.to;
        if (!wasDone && isDone) {
          for (const r of all().filter(isOpen))
            decide(r, t.at, r.metric === 'resolution' ? 'met' : 'stopped');
        } else if (wasDone && !isDone) {
          for (const metric of ['resolution', 'periodic_update'] as const) {
            const rule = ruleOf(metric);
            if (rule && !openOf(metric)) next(rule, t.at);
          }
        } else if (t.to === 'pending' && t.from !== 'pending') {
          for (const r of all().filter(isOpen)) put(pauseRound(ctx.policy, r, t.at), 'paused');
        } else if (t.from === 'pending' && t.to !== 'pending') {
          for (const r of all().filter(isOpen)) put(resumeRound(ctx.policy, r, t.at), 'resumed');
        }
        break;
      }
      case 'retarget': {
        ctx = { ...ctx, rules: t.rules };
        for (const r of all().filter(isOpen)) {
          const rule = ruleOf(r.metric);
          if (rule) put(retimeRound(ctx.policy, r, rule), 'retimed');
          else decide(r, t.at, 'stopped');
        }
        if (DONE.includes(status)) break;
        for (const rule of t.rules) {
          if (!FROM_RECEIPT.includes(rule.metric) || all().some((r) => r.metric === rule.metric))
            continue;
          put(startRound(ctx.policy, rule, ctx.receivedAt), 'started');
          const started = openOf(rule.metric)!;
          if (status === 'pending') put(pauseRound(ctx.policy, started, t.at), 'paused');
        }
        break;
      }
    }
  }
  return { rounds: all(), changes: [...changes.values()] };
}

/** The rounds a new ticket starts with: every target but next response, from receipt. */
export function initialRounds(
  policy: SlaPolicy,
  rules: ResolvedRule[],
  receivedAt: number,
): TargetRound[] {
  return rules
    .filter((r) => FROM_RECEIPT.includes(r.metric))
    .map((r) => startRound(policy, r, receivedAt));
}
