import { DAY_MS, utcYearOf } from './civil';

/** A stretch of time during which a zone's UTC offset does not change: [start, end). */
export interface OffsetSegment {
  start: number;
  end: number;
  offset: number;
}

interface YearOffsets {
  /** Offset in force at the first instant of the UTC year. */
  startOffset: number;
  /** Changes within the year: `at` is the first instant with the new offset. */
  changes: Array<{ at: number; offset: number }>;
}

const FIXED_ZONE = /^(UTC|GMT|Etc\/(UTC|GMT|UCT|Universal|Zulu|Greenwich)|UCT|Universal|Zulu)$/;

/**
 * UTC offsets of one IANA zone, resolved once per UTC year through Intl and cached, so the
 * business-time arithmetic never builds a formatter or a date object in its hot path.
 */
export class ZoneOffsets {
  private static readonly cache = new Map<string, ZoneOffsets>();
  private readonly years = new Map<number, YearOffsets>();
  private readonly formatter: Intl.DateTimeFormat;
  /** Set for zones that never change offset (UTC and its aliases). */
  readonly fixedOffset: number | null;

  private constructor(readonly zone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    this.fixedOffset = FIXED_ZONE.test(zone) ? 0 : null;
  }

  /** Throws RangeError for a name Intl does not know. */
  static of(zone: string): ZoneOffsets {
    let found = ZoneOffsets.cache.get(zone);
    if (!found) {
      found = new ZoneOffsets(zone);
      ZoneOffsets.cache.set(zone, found);
    }
    return found;
  }

  offsetAt(ms: number): number {
    if (this.fixedOffset !== null) return this.fixedOffset;
    const year = this.year(utcYearOf(ms));
    let offset = year.startOffset;
    for (const change of year.changes) {
      if (change.at > ms) break;
      offset = change.offset;
    }
    return offset;
  }

  /** Constant-offset segments covering [from, to), in order. */
  segments(from: number, to: number): OffsetSegment[] {
    if (this.fixedOffset !== null) return [{ start: from, end: to, offset: this.fixedOffset }];
    const result: OffsetSegment[] = [];
    let current: OffsetSegment = { start: from, end: to, offset: this.offsetAt(from) };
    const lastYear = utcYearOf(to - 1);
    for (let y = utcYearOf(from); y <= lastYear; y++) {
      const year = this.year(y);
      const yearStart = Date.UTC(y, 0, 1);
      const changes = [{ at: yearStart, offset: year.startOffset }, ...year.changes];
      for (const change of changes) {
        if (change.at <= from || change.at >= to || change.offset === current.offset) continue;
        current.end = change.at;
        result.push(current);
        current = { start: change.at, end: to, offset: change.offset };
      }
    }
    result.push(current);
    return result;
  }

  private year(y: number): YearOffsets {
    let found = this.years.get(y);
    if (!found) {
      found = this.scanYear(y);
      this.years.set(y, found);
    }
    return found;
  }

  /** Samples the offset once a day and bisects to the second wherever it changed. */
  private scanYear(y: number): YearOffsets {
    const start = Date.UTC(y, 0, 1);
    const end = Date.UTC(y + 1, 0, 1);
    const startOffset = this.intlOffset(start);
    const changes: YearOffsets['changes'] = [];
    let prevAt = start;
    let prevOffset = startOffset;
    for (let at = start + DAY_MS; at <= end; at += DAY_MS) {
      const offset = this.intlOffset(at);
      if (offset !== prevOffset) {
        let lo = prevAt; // offset here is prevOffset
        let hi = at; // offset here is the new one
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.intlOffset(mid) === prevOffset) lo = mid;
          else hi = mid;
        }
        if (hi < end) changes.push({ at: hi, offset: this.intlOffset(hi) });
      }
      prevAt = at;
      prevOffset = offset;
    }
    return { startOffset, changes };
  }

  private intlOffset(ms: number): number {
    const t = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const p of this.formatter.formatToParts(t)) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    // A leap year (2000), so that 29 February exists until the real year is set (Date.UTC reads 0
    // as 1900, which has none, and rolled 29 February to 1 March: a day off on every leap day).
    const local = Date.UTC(
      2000,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    const d = new Date(local);
    d.setUTCFullYear(year);
    return d.getTime() - t;
  }
}
