import { advance } from './measure';
import type { ClockKind, Metric, Severity, SlaPolicy } from './types';

export interface PlannedTarget {
  metric: Metric;
  clock: ClockKind;
  targetSeconds: number;
  startedAt: number;
  dueAt: number;
  /** When the warning alarm fires; null when the policy plans no warning. */
  warningAt: number | null;
}

/** Due and warning times of every target of a ticket of this severity received at `receivedAt`. */
export function planTargets(
  policy: SlaPolicy,
  severity: Severity,
  receivedAt: number,
): PlannedTarget[] {
  const fraction = policy.alarms.warningFraction;
  return policy.targets[severity].map((rule) => ({
    metric: rule.metric,
    clock: rule.clock,
    targetSeconds: rule.seconds,
    startedAt: receivedAt,
    dueAt: advance(policy, rule.clock, receivedAt, rule.seconds),
    warningAt:
      fraction === null ? null : advance(policy, rule.clock, receivedAt, rule.seconds * fraction),
  }));
}
