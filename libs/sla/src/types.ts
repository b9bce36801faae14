import type { CalendarDocument } from '@app/business-hours';

export type Severity = 1 | 2 | 3;
export const SEVERITIES: readonly Severity[] = [1, 2, 3];

/**
 * What a target measures. first_response: receipt → first public staff reply (never pauses).
 * next_response: each customer message → the next public staff reply (one round a message).
 * periodic_update: a public staff reply every N while the ticket is open (the next round starts at it).
 * resolution: receipt (or reopening) → resolved. notification: a security incident told to the
 * customer (the first public staff reply), in calendar time.
 */
export type Metric =
  'first_response' | 'next_response' | 'periodic_update' | 'resolution' | 'notification';
export const METRICS: readonly Metric[] = [
  'first_response',
  'next_response',
  'periodic_update',
  'resolution',
  'notification',
];

/** What kind of request a ticket is: kinds other than standard bring their own legal targets. */
export type TicketKind = 'standard' | 'data_protection_request' | 'security_incident';
export const TICKET_KINDS: readonly TicketKind[] = [
  'standard',
  'data_protection_request',
  'security_incident',
];

/**
 * When a target's warning fires: after a fraction of the target's time, or a time before the due
 * time; null: no warning. A target without one takes the policy's `alarms.warningFraction`.
 */
export type WarningRule = { fraction: number } | { beforeSeconds: number } | null;

/** `business` seconds count only while the calendar is open; `calendar` seconds always count. */
export type ClockKind = 'business' | 'calendar';

export interface TargetRule {
  metric: Metric;
  seconds: number;
  clock: ClockKind;
  /** Omitted: the policy's default warning. */
  warning?: WarningRule;
}

export interface AlarmPlan {
  /** Fraction of the target's time after which the warning fires (0 < f < 1); null: no warning. */
  warningFraction: number | null;
}

export interface SlaPolicy {
  name: string;
  calendar: CalendarDocument;
  targets: Record<Severity, TargetRule[]>;
  alarms: AlarmPlan;
  /** Whether a breach raises the ticket's support level by one. */
  escalateOnBreach: boolean;
}

export type TargetState = 'running' | 'paused' | 'met' | 'breached';

/** One event in the life of a target's clock. Times are UTC epoch milliseconds. */
export type ClockEvent =
  | { type: 'start'; at: number }
  | { type: 'pause'; at: number }
  | { type: 'resume'; at: number }
  | { type: 'stop'; at: number }
  /** The target's length changed (re-classification): the clock is re-timed from its start. */
  | { type: 'retarget'; at: number; seconds: number };

export interface TargetStatus {
  metric: Metric;
  state: TargetState;
  /** When the target is (or was) due; null while paused (it depends on when the clock resumes). */
  dueAt: number | null;
  /** When the warning alarm is due; null when the plan has no warning or while paused. */
  warningAt: number | null;
  /** Seconds of the target's clock used up to `now` (or to the stop). */
  usedSeconds: number;
  /** Seconds of the target left at `now`; negative once breached. */
  leftSeconds: number;
  targetSeconds: number;
  /** When the clock stopped (the target was met or abandoned), if it did. */
  stoppedAt: number | null;
}
