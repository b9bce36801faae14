import { invalid } from './errors';

/**
 * Paging cursors: base64url of a JSON object whose fields are all strings. A list route decodes
 * one strictly against the shape it gives out (every field present, none more, each of its kind),
 * so a cursor we did not give out is a 400 `invalid cursor` before any of it reaches SQL.
 */
export type CursorShape<K extends string> = Record<K, (value: string) => boolean>;

/** A row number or count: digits without a sign, within PostgreSQL's bigint. */
export const isCursorCount = (v: string) =>
  /^(0|[1-9]\d{0,18})$/.test(v) && BigInt(v) <= 9223372036854775807n;

/** A UUID as PostgreSQL writes it. */
export const isCursorUuid = (v: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** An instant as `Date.toISOString()` writes it (years 0000–9999, a real calendar date, Z). */
export const isCursorInstant = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return false;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && new Date(ms).toISOString() === v;
};

export function encodeCursor(fields: Record<string, string>): string {
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

const refused = (why: string) =>
  invalid(
    'invalid_cursor',
    `invalid cursor (${why}): use nextCursor of the previous page of the same list and order.`,
  );

/** The fields of `text` when it is a cursor of `shape`; else a 400 `invalid cursor`. */
export function decodeCursor<K extends string>(
  text: string,
  shape: CursorShape<K>,
): Record<K, string> {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(text)) throw refused('not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused('not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw refused('not an object');
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(shape) as K[];
  const extra = Object.keys(fields).filter((k) => !(k in shape));
  if (extra.length) throw refused('a field of another list');
  for (const k of keys) {
    const v = fields[k];
    if (typeof v !== 'string') throw refused(`no text field ${k}`);
    if (!shape[k](v)) throw refused(`field ${k} is not one we write`);
  }
  return fields as Record<K, string>;
}
