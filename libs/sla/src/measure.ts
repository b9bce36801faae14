import { add, between } from '@app/business-hours';
import type { ClockKind, SlaPolicy } from './types';

/** Seconds of a target's clock in [from, to): business time or plain elapsed time. */
export function measure(policy: SlaPolicy, clock: ClockKind, from: number, to: number): number {
  return clock === 'business' ? between(policy.calendar, from, to) : (to - from) / 1000;
}

/** The instant at which `seconds` of the clock have passed since `from`. */
export function advance(
  policy: SlaPolicy,
  clock: ClockKind,
  from: number,
  seconds: number,
): number {
  return clock === 'business'
    ? add(policy.calendar, from, seconds)
    : from + Math.round(seconds * 1000);
}
