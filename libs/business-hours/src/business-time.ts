import type { CalendarDocument } from './calendar';
import { assertInstant, compile, HORIZON_MS, type Block, type CompiledCalendar } from './compiled';
import { CalendarError } from './errors';

/** Index of the first interval of the block that ends after `ms` (n when none does). */
function firstEndingAfter(block: Block, ms: number): number {
  let lo = 0;
  let hi = block.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (block.ends[mid] > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Business milliseconds of the block in [block.start, ms). */
function usedBefore(block: Block, ms: number): number {
  const i = firstEndingAfter(block, ms);
  if (i === block.ends.length) return block.total;
  return block.cum[i] + Math.max(0, ms - block.starts[i]);
}

/** The instant at which `amount` business ms of the block (0 < amount ≤ total) have passed. */
function instantAt(block: Block, amount: number): number {
  let lo = 0;
  let hi = block.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (block.cum[mid + 1] >= amount) hi = mid;
    else lo = mid + 1;
  }
  return block.starts[lo] + (amount - block.cum[lo]);
}

function ensureReachable(cal: CompiledCalendar, blockStart: number): void {
  if (blockStart > cal.lastPossible)
    throw new CalendarError(
      'the calendar has no business time from here on (no weekly hours and no later overrides)',
    );
  if (blockStart >= HORIZON_MS) throw new CalendarError('the result lies beyond the year 9999');
}

/**
 * The earliest instant u ≥ from with between(from, u) = seconds: a target used up at closing time
 * is due at closing time, and adding 0 gives `from`.
 */
export function add(calendar: CalendarDocument, from: number, seconds: number): number {
  assertInstant(from, 'from');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new CalendarError('seconds: expected a number of seconds ≥ 0');
  }
  const amount = Math.round(seconds * 1000);
  if (amount === 0) return from;
  const cal = compile(calendar);
  let index = cal.blockIndex(from);
  let block = cal.block(index);
  let wanted = amount + usedBefore(block, from);
  while (wanted > block.total) {
    wanted -= block.total;
    block = cal.block(++index);
    ensureReachable(cal, block.start);
  }
  return instantAt(block, wanted);
}

/** Business seconds in [a, b); negative when b < a. */
export function between(calendar: CalendarDocument, a: number, b: number): number {
  assertInstant(a, 'from');
  assertInstant(b, 'to');
  if (b < a) return -between(calendar, b, a) || 0; // never -0
  const cal = compile(calendar);
  const ia = cal.blockIndex(a);
  const ib = cal.blockIndex(b);
  const blockA = cal.block(ia);
  if (ia === ib) return (usedBefore(blockA, b) - usedBefore(blockA, a)) / 1000;
  let ms = blockA.total - usedBefore(blockA, a);
  for (let i = ia + 1; i < ib; i++) ms += cal.block(i).total;
  ms += usedBefore(cal.block(ib), b);
  return ms / 1000;
}

/** Whether `at` is business time. */
export function isOpen(calendar: CalendarDocument, at: number): boolean {
  assertInstant(at, 'at');
  const cal = compile(calendar);
  const block = cal.block(cal.blockIndex(at));
  const i = firstEndingAfter(block, at);
  return i < block.ends.length && block.starts[i] <= at;
}

/** The earliest business instant at or after `at` (`at` itself when the calendar is open then). */
export function nextOpen(calendar: CalendarDocument, at: number): number {
  assertInstant(at, 'at');
  const cal = compile(calendar);
  let index = cal.blockIndex(at);
  let block = cal.block(index);
  const i = firstEndingAfter(block, at);
  if (i < block.ends.length) return Math.max(at, block.starts[i]);
  do {
    block = cal.block(++index);
    ensureReachable(cal, block.start);
  } while (block.starts.length === 0);
  return block.starts[0];
}

/** The business time within [from, to) as ordered, disjoint UTC ranges [start, end). */
export function businessIntervals(
  calendar: CalendarDocument,
  from: number,
  to: number,
): Array<[number, number]> {
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  const cal = compile(calendar);
  const result: Array<[number, number]> = [];
  for (let index = cal.blockIndex(from); index <= cal.blockIndex(to); index++) {
    const block = cal.block(index);
    for (
      let i = firstEndingAfter(block, from);
      i < block.starts.length && block.starts[i] < to;
      i++
    ) {
      const start = Math.max(from, block.starts[i]);
      const end = Math.min(to, block.ends[i]);
      const last = result[result.length - 1];
      if (last && last[1] === start)
        last[1] = end; // an interval split by a block boundary
      else if (start < end) result.push([start, end]);
    }
  }
  return result;
}
