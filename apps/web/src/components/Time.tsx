import { useAuth } from '../auth';
import { formatInstant, viewerTimeZone } from '../sla/format';

/** An instant in the viewer's own time zone, with the zone named and the UTC instant machine-readable. */
export function Time({ at, zone }: { at: string | number | null | undefined; zone?: string }) {
  const { user } = useAuth();
  if (at === null || at === undefined) return <span>—</span>;
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) return <span>—</span>;
  const tz = zone ?? viewerTimeZone(user?.timeZone);
  return <time dateTime={new Date(ms).toISOString()}>{formatInstant(ms, tz)}</time>;
}
