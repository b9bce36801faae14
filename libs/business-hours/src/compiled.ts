import { parseCalendar, parseIntervals, type CalendarDocument } from './calendar';
import { civilFromDay, DAY_MS, dayFromIsoDate, weekdayOfDay, WEEKDAYS } from './civil';
import { CalendarError } from './errors';
import { holidaysOfSet } from './holidays';
import { ZoneOffsets } from './zone';

/** 64 days of UTC time: the unit in which business intervals are resolved and cached. */
export const BLOCK_MS = 64 * DAY_MS;
/** The arithmetic refuses to look past this instant (the end of year 9999). */
export const HORIZON_MS = Date.UTC(10000, 0, 1);
/** … and before this one (the start of year 1000). */
export const EARLIEST_MS = Date.UTC(1000, 0, 1);
const WINDOW_MS = 26 * 3_600_000; // more than any UTC offset

/**
 * The business intervals of one block of UTC time [start, end), in order and merged, with the
 * running total of business milliseconds before each interval (cum[i]) and in all (cum[n]).
 */
export interface Block {
  start: number;
  end: number;
  starts: Float64Array;
  ends: Float64Array;
  cum: Float64Array;
  total: number;
}

export type DayKind = 'open' | 'weekend' | 'holiday' | 'override';

export interface LocalDay {
  kind: DayKind;
  /** Local ms-of-day pairs in force that date. */
  hours: number[];
  holidayName?: string;
}

/** A calendar document resolved for arithmetic: hours as numbers, holidays as day numbers, blocks cached. */
export class CompiledCalendar {
  readonly zone: ZoneOffsets;
  private readonly week: number[][];
  private readonly holidays: Set<number>;
  private readonly overrides = new Map<number, number[]>();
  private readonly blocks = new Map<number, Block>();
  /** Last instant that can be business time when the weekly hours are empty; Infinity otherwise. */
  readonly lastPossible: number;

  constructor(readonly doc: CalendarDocument) {
    this.zone = ZoneOffsets.of(doc.timeZone);
    this.week = WEEKDAYS.map((d) => parseIntervals(doc.week[d] ?? [], `week.${d}`));
    this.holidays = new Set((doc.holidays ?? []).map((d) => dayFromIsoDate(d)!));
    let lastOverride = -Infinity;
    for (const [date, ivs] of Object.entries(doc.overrides ?? {})) {
      const day = dayFromIsoDate(date)!;
      const hours = parseIntervals(ivs, `overrides.${date}`);
      this.overrides.set(day, hours);
      if (hours.length) lastOverride = Math.max(lastOverride, day);
    }
    const weekHasHours = this.week.some((h) => h.length > 0);
    this.lastPossible = weekHasHours ? Infinity : (lastOverride + 2) * DAY_MS;
  }

  /** What the calendar says about one local date. */
  localDay(day: number): LocalDay {
    const override = this.overrides.get(day);
    if (override) return { kind: 'override', hours: override };
    const holidayName = this.holidayName(day);
    if (holidayName !== undefined) return { kind: 'holiday', hours: [], holidayName };
    const hours = this.week[weekdayOfDay(day)];
    return { kind: hours.length ? 'open' : 'weekend', hours };
  }

  private holidayName(day: number): string | undefined {
    if (this.holidays.has(day)) return 'holiday';
    const sets = this.doc.holidaySets ?? [];
    if (!sets.length) return undefined;
    const year = civilFromDay(day).year;
    for (const set of sets) {
      const name = holidaysOfSet(set, year).get(day);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  blockIndex(ms: number): number {
    return Math.floor(ms / BLOCK_MS);
  }

  block(index: number): Block {
    let found = this.blocks.get(index);
    if (!found) {
      found = this.buildBlock(index);
      this.blocks.set(index, found);
    }
    return found;
  }

  /**
   * Business instants of local date `day`: those whose wall-clock time in the zone falls on that
   * date inside one of its intervals. Resolved per constant-offset segment, which is what makes a
   * clock change shorten or lengthen the day's hours.
   */
  dayIntervals(day: number, out: number[]): void {
    const hours = this.localDay(day).hours;
    if (!hours.length) return;
    const midnight = day * DAY_MS;
    const segments = this.zone.segments(midnight - WINDOW_MS, midnight + DAY_MS + WINDOW_MS);
    for (const seg of segments) {
      for (let i = 0; i < hours.length; i += 2) {
        const lo = Math.max(seg.start, midnight + hours[i] - seg.offset);
        const hi = Math.min(seg.end, midnight + hours[i + 1] - seg.offset);
        if (lo < hi) out.push(lo, hi);
      }
    }
  }

  private buildBlock(index: number): Block {
    const start = index * BLOCK_MS;
    const end = start + BLOCK_MS;
    const raw: number[] = [];
    const firstDay = Math.floor(start / DAY_MS) - 2;
    const lastDay = Math.floor(end / DAY_MS) + 2;
    for (let day = firstDay; day <= lastDay; day++) this.dayIntervals(day, raw);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < raw.length; i += 2) {
      const lo = Math.max(raw[i], start);
      const hi = Math.min(raw[i + 1], end);
      if (lo < hi) pairs.push([lo, hi]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const p of pairs) {
      const last = merged[merged.length - 1];
      if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
      else merged.push([p[0], p[1]]);
    }
    const n = merged.length;
    const block: Block = {
      start,
      end,
      starts: new Float64Array(n),
      ends: new Float64Array(n),
      cum: new Float64Array(n + 1),
      total: 0,
    };
    for (let i = 0; i < n; i++) {
      block.starts[i] = merged[i][0];
      block.ends[i] = merged[i][1];
      block.cum[i + 1] = block.cum[i] + merged[i][1] - merged[i][0];
    }
    block.total = block.cum[n];
    return block;
  }
}

const byDocument = new WeakMap<CalendarDocument, CompiledCalendar>();
const byText = new Map<string, CompiledCalendar>();
const TEXT_CACHE_LIMIT = 256;

/**
 * The compiled form of a calendar, cached per document object and per content, so that callers
 * who parse the same calendar again (one JSON line at a time) still hit the cache.
 */
export function compile(doc: CalendarDocument): CompiledCalendar {
  let found = byDocument.get(doc);
  if (found) return found;
  const text = JSON.stringify(doc);
  found = byText.get(text);
  if (!found) {
    found = new CompiledCalendar(parseCalendar(doc));
    if (byText.size >= TEXT_CACHE_LIMIT) byText.delete(byText.keys().next().value!);
    byText.set(text, found);
  }
  if (typeof doc === 'object' && doc !== null) byDocument.set(doc, found);
  return found;
}

export function assertInstant(ms: unknown, what: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new CalendarError(`${what}: not a valid instant`);
  if (ms < EARLIEST_MS || ms >= HORIZON_MS)
    throw new CalendarError(`${what}: outside the years 1000 to 9999`);
  return ms;
}
