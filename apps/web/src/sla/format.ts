/** Durations and instants as people read them. Instants are always shown with their zone. */

export function viewerTimeZone(preferred?: string | null): string {
  if (preferred) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: preferred });
      return preferred;
    } catch {
      /* fall through to the browser's zone */
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: 'full' | 'weekday-time' | 'date'): Intl.DateTimeFormat {
  const key = `${zone}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'full'
        ? {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
            timeZoneName: 'short',
          }
        : kind === 'weekday-time'
          ? { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : {
              weekday: 'long',
              day: 'numeric',
              month: 'long',
              hour: '2-digit',
              minute: '2-digit',
              hourCycle: 'h23',
            };
    f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/** "Tue, 12 Mar 2024, 11:15 GMT" in the given zone. */
export function formatInstant(ms: number, zone: string): string {
  return formatter(zone, 'full').format(ms);
}

/** "Monday 09:00" within the coming week, "Monday 6 April 09:00" beyond it; in the calendar's zone. */
export function formatResume(ms: number, now: number, zone: string): string {
  return ms - now < 6 * 86_400_000
    ? formatter(zone, 'weekday-time').format(ms).replace(' at ', ' ')
    : formatter(zone, 'date').format(ms).replace(' at ', ' ');
}

/** 3725 → "1h 02m"; 125 → "2m 05s"; 2 days of business time stay in hours ("20h 00m"). */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(Math.abs(totalSeconds)));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h >= 100) return `${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(zone: string, ms: number): number {
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour) % 24,
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2024-03-12T10:15" read as wall-clock time in `zone` → UTC epoch ms (NaN when unparsable). */
export function zonedToUtc(local: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return Number.NaN;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const first = guess - offsetAt(zone, guess);
  return guess - offsetAt(zone, first);
}

/** UTC epoch ms → "2024-03-12T10:15" on the wall clock of `zone` (for datetime-local inputs). */
export function utcToZoned(ms: number, zone: string): string {
  const local = new Date(ms + offsetAt(zone, ms));
  return local.toISOString().slice(0, 16);
}
