import { invalid } from '@app/config';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

/** The text names a real calendar date and clock time (Date.parse would roll 31 February over). */
function isRealInstant(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = m.slice(1);
  const date = new Date(Date.UTC(+y, +mo - 1, +d));
  return (
    date.getUTCMonth() === +mo - 1 &&
    date.getUTCDate() === +d &&
    +h < 24 &&
    +mi < 60 &&
    +s < 60 &&
    +oh < 24 &&
    +om < 60
  );
}

/**
 * Parses an ISO 8601 instant that names its offset ("2024-03-12T10:15:00Z" or "+01:00"); a time
 * without an offset is refused, since it would be read in the server's zone.
 */
export function parseInstant(
  text: string,
  field: string,
  opts: { allowFuture?: boolean; nowMs?: number; slackMs?: number } = {},
): number {
  const ms = isRealInstant(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms))
    throw invalid(
      `bad_${field}`,
      `${field} must be an ISO 8601 instant with a zone, e.g. 2024-03-12T10:15:00Z; got ${JSON.stringify(text)}.`,
    );
  const now = opts.nowMs ?? Date.now();
  if (!opts.allowFuture && ms > now + (opts.slackMs ?? 60_000))
    throw invalid(`future_${field}`, `${field} ${text} is in the future.`);
  return ms;
}
