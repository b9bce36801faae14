import { DAY_MS } from './civil';
import { ZoneOffsets } from './zone';

/**
 * `months` calendar months after `at`, in `timeZone`: the same local time on the same day of the
 * month, the day clamped to the month's last (31 January + 1 month = 28 or 29 February). A local
 * time that the zone skips (a spring-forward gap) is read with the offset before the change, so it
 * lands just after it (02:30 in a gap 02:00–03:00 becomes 03:30); one the zone has twice (autumn)
 * is its first occurrence.
 */
export function addCalendarMonths(at: number, months: number, timeZone: string): number {
  const zone = ZoneOffsets.of(timeZone);
  const local = new Date(at + zone.offsetAt(at));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const wall = Date.UTC(
    y,
    m,
    Math.min(local.getUTCDate(), last),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return instantOfWallTime(zone, wall);
}

/** The instant whose local time in `zone` is `wall` (a local time written as if it were UTC). */
function instantOfWallTime(zone: ZoneOffsets, wall: number): number {
  const before = zone.offsetAt(wall - DAY_MS);
  const after = zone.offsetAt(wall + DAY_MS);
  const fits = [wall - before, wall - after].filter((t) => t + zone.offsetAt(t) === wall);
  return fits.length ? Math.min(...fits) : wall - before;
}
