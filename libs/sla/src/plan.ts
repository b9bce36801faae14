import { initialRounds, type TargetRound } from './rounds';
import { rulesFor } from './rules';
import type { Severity, SlaPolicy, TicketKind } from './types';

/** A round planned at receipt: running, so its due time is known. */
export type PlannedTarget = TargetRound & { dueAt: number };

/**
 * Due and warning times of every target a ticket of this severity and kind starts with at
 * `receivedAt` (first response, resolution, the first periodic update, a kind's own targets; next
 * response waits for a customer message).
 */
export function planTargets(
  policy: SlaPolicy,
  severity: Severity,
  receivedAt: number,
  kind: TicketKind = 'standard',
): PlannedTarget[] {
  return initialRounds(policy, rulesFor(policy, severity, kind), receivedAt) as PlannedTarget[];
}
