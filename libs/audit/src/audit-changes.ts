/**
 * What an audited change says: the fields that changed, before and after. Secrets are masked; the
 * personal data of the person changed (name, e-mail, phone) too, because the log outlives an
 * erasure and must not keep what the erasure removed: it says that the field changed.
 */
export const MASKED = '[masked]';

const SECRET = /password|secret|token|recovery|hash|totp|otp|key/i;
const PERSONAL = /^(name|email|phone|display_name|full_name)$/i;
/** Bookkeeping columns every row has: a change of only these is no change. */
const IGNORED = new Set(['updated_at', 'created_at', 'version']);

export type Row = Record<string, unknown>;
export interface FieldChange {
  before: unknown;
  after: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function mask(field: string, value: unknown, personal: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (SECRET.test(field) || (personal && PERSONAL.test(field))) return MASKED;
  return value;
}

/**
 * The changed fields between two snapshots of a row (null: it did not exist / no longer exists).
 * Masked fields that changed show `[masked]` on each side that had a value. `personal`: the row is
 * a person's (their name and e-mail are masked too).
 */
export function changedFields(
  before: Row | null,
  after: Row | null,
  personal = true,
): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of [...keys].sort()) {
    if (IGNORED.has(k)) continue;
    const b = before?.[k];
    const a = after?.[k];
    if (same(b, a)) continue;
    out[k] = { before: mask(k, b, personal), after: mask(k, a, personal) };
  }
  return out;
}

/** A request body with its secrets masked (for changes the audit cannot snapshot as rows). */
export function maskedBody(body: unknown): unknown {
  if (!body || typeof body !== 'object') return null;
  if (Array.isArray(body)) return body.map(maskedBody);
  return Object.fromEntries(
    Object.entries(body as Row).map(([k, v]) => [
      k,
      SECRET.test(k) || PERSONAL.test(k) ? MASKED : v && typeof v === 'object' ? maskedBody(v) : v,
    ]),
  );
}
