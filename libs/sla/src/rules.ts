import { addCalendarMonths } from '@app/business-hours';
import type { ClockKind, Metric, Severity, SlaPolicy, TicketKind, WarningRule } from './types';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** A target a ticket is timed by, resolved from its policy and its kind. */
export interface ResolvedRule {
  metric: Metric;
  clock: ClockKind;
  /** The length in seconds of the clock, unless `months` is given. */
  seconds: number;
  /**
   * A length in calendar months (a data-protection request: one month), counted in the policy
   * calendar's time zone: the same local time that many months later, the day clamped to the month's end.
   */
  months?: number;
  warning: WarningRule;
  /** Whether the clock stops while the ticket waits on the customer (status pending). */
  pausable: boolean;
}

/**
 * The legal targets of the ticket kinds (privacy policy; licence §3.6 c, d), in calendar time, on
 * top of the policy's severity targets (a kind's metric replaces the policy's). They never pause:
 * the law counts from receipt, whatever the customer owes us.
 */
export const KIND_TARGETS: Record<TicketKind, readonly ResolvedRule[]> = {
  standard: [],
  data_protection_request: [
    {
      metric: 'resolution',
      clock: 'calendar',
      seconds: 0,
      months: 1,
      warning: { beforeSeconds: 7 * DAY },
      pausable: false,
    },
  ],
  security_incident: [
    {
      metric: 'notification',
      clock: 'calendar',
      seconds: DAY,
      warning: { beforeSeconds: 6 * HOUR },
      pausable: false,
    },
  ],
};

/** Metrics whose clock never pauses: the contract times the first response from receipt. */
const NEVER_PAUSE: readonly Metric[] = ['first_response', 'notification'];

/** The targets of a ticket of this severity and kind under `policy`. */
export function rulesFor(
  policy: SlaPolicy,
  severity: Severity,
  kind: TicketKind = 'standard',
): ResolvedRule[] {
  const byKind = KIND_TARGETS[kind] ?? [];
  const fraction = policy.alarms.warningFraction;
  const fromPolicy = (policy.targets[severity] ?? [])
    .filter((r) => !byKind.some((k) => k.metric === r.metric))
    .map((r): ResolvedRule => ({
      metric: r.metric,
      clock: r.clock,
      seconds: r.seconds,
      warning: r.warning !== undefined ? r.warning : fraction === null ? null : { fraction },
      pausable: !NEVER_PAUSE.includes(r.metric),
    }));
  return [...fromPolicy, ...byKind.map((k) => ({ ...k }))];
}

/** `months` calendar months after `at` in `timeZone` (see addCalendarMonths in @app/business-hours). */
export function addMonths(at: number, months: number, timeZone = 'UTC'): number {
  return addCalendarMonths(at, months, timeZone);
}

/** The length of a rule's target for a clock started at `at`, in seconds of its clock. */
export function lengthOf(rule: ResolvedRule, at: number, timeZone = 'UTC'): number {
  return rule.months ? (addMonths(at, rule.months, timeZone) - at) / 1000 : rule.seconds;
}

/** The seconds of the clock used when the warning fires; null: no warning. */
export function warningSecondsOf(warning: WarningRule, targetSeconds: number): number | null {
  if (warning === null) return null;
  if ('fraction' in warning) return targetSeconds * warning.fraction;
  const at = targetSeconds - warning.beforeSeconds;
  return at > 0 ? at : null;
}
