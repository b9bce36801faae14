import { advance, measure } from './measure';
import { PolicyError } from './policy';
import type { ClockEvent, SlaPolicy, TargetRule, TargetStatus } from './types';

interface Timeline {
  /** Stretches during which the clock ran: [start, end), end = Infinity while it still runs. */
  running: Array<[number, number]>;
  targetSeconds: number;
  stoppedAt: number | null;
  paused: boolean;
}

/** Replays the events in time order (ties keep their given order) into running stretches. */
function replay(rule: TargetRule, events: ClockEvent[]): Timeline {
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
  if (ordered[0]?.type !== 'start')
    throw new PolicyError('clock: the first event must be the start');
  const timeline: Timeline = {
    running: [],
    targetSeconds: rule.seconds,
    stoppedAt: null,
    paused: false,
  };
  let runningSince: number | null = null;
  for (const event of ordered) {
    if (timeline.stoppedAt !== null) break; // a stopped clock stays stopped
    switch (event.type) {
      case 'start':
        runningSince ??= event.at;
        break;
      case 'resume':
        if (runningSince === null) runningSince = event.at;
        timeline.paused = false;
        break;
      case 'pause':
        if (runningSince !== null) timeline.running.push([runningSince, event.at]);
        runningSince = null;
        timeline.paused = true;
        break;
      case 'stop':
        if (runningSince !== null) timeline.running.push([runningSince, event.at]);
        runningSince = null;
        timeline.stoppedAt = event.at;
        break;
      case 'retarget':
        timeline.targetSeconds = event.seconds;
        break;
    }
  }
  if (runningSince !== null) timeline.running.push([runningSince, Infinity]);
  return timeline;
}

/**
 * The instant at which `seconds` of the clock have been used, walking the running stretches;
 * `openEnded` lets the last stretch run on (to say when a stopped target would have been due).
 */
function instantWhenUsed(
  policy: SlaPolicy,
  rule: TargetRule,
  running: Timeline['running'],
  seconds: number,
  openEnded: boolean,
): number | null {
  let used = 0;
  for (const [index, [start, end]] of running.entries()) {
    const last = index === running.length - 1;
    const stretchEnd = last && openEnded ? Infinity : end;
    if (stretchEnd === Infinity) return advance(policy, rule.clock, start, seconds - used);
    const here = measure(policy, rule.clock, start, stretchEnd);
    if (used + here >= seconds) return advance(policy, rule.clock, start, seconds - used);
    used += here;
  }
  return null;
}

/**
 * The state of one target at `now`, from the events of its clock. A re-target changes the length
 * of the target, always counted from the original start.
 */
export function evaluateTarget(
  policy: SlaPolicy,
  rule: TargetRule,
  events: ClockEvent[],
  now: number,
): TargetStatus {
  const timeline = replay(rule, events);
  const until = timeline.stoppedAt ?? now;
  let usedSeconds = 0;
  for (const [start, end] of timeline.running) {
    const stop = Math.min(end, until);
    if (stop > start) usedSeconds += measure(policy, rule.clock, start, stop);
  }
  const target = timeline.targetSeconds;
  const fraction = policy.alarms.warningFraction;
  const openEnded = timeline.stoppedAt !== null;
  const dueAt = timeline.paused
    ? null
    : instantWhenUsed(policy, rule, timeline.running, target, openEnded);
  const warningAt =
    timeline.paused || fraction === null
      ? null
      : instantWhenUsed(policy, rule, timeline.running, target * fraction, openEnded);
  let state: TargetStatus['state'];
  if (timeline.stoppedAt !== null) {
    // Used time decides; at exactly the target (business time stands still outside hours) the instant does.
    const late =
      usedSeconds > target ||
      (usedSeconds === target && dueAt !== null && timeline.stoppedAt > dueAt);
    state = late ? 'breached' : 'met';
  } else if (usedSeconds >= target && (dueAt === null || now >= dueAt)) state = 'breached';
  else state = timeline.paused ? 'paused' : 'running';
  return {
    metric: rule.metric,
    state,
    dueAt,
    warningAt,
    usedSeconds,
    leftSeconds: target - usedSeconds,
    targetSeconds: target,
    stoppedAt: timeline.stoppedAt,
  };
}
