import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry says; its hash covers all of it and the hash of the entry before. */
export interface ChainedFields {
  at: string;
  actorId: string | null;
  actorRole: string | null;
  clientAddress: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  organizationId: string | null;
  ticketId: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every level (jsonb reorders keys; the hash must not care). */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** sha256(prev ‖ canonical fields), hex. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const fields = [
    new Date(e.at).toISOString(),
    e.actorId,
    e.actorRole,
    e.clientAddress,
    e.action,
    e.objectType,
    e.objectId,
    e.organizationId,
    e.ticketId,
    e.details ?? null,
  ];
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(fields))
    .digest('hex');
}

/** A link of the chain as stored: a live entry (with its fields) or one removed by the retention purge. */
export type ChainLink =
  | { id: string; prevHash: string; hash: string; fields: ChainedFields }
  | { id: string; prevHash: string; hash: string; purged: true };

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  purged: number;
  /** The first entry whose hash or link does not hold, and why. */
  brokenAt?: string;
  problem?: string;
}

/**
 * Checks links in id order, carrying the last hash across calls (`state`), so a long chain is
 * verified in pages. A live entry must hash to its stored hash; every entry must name the hash of
 * the one before it (an entry deleted, inserted or changed breaks one of the two).
 */
export function verifyLinks(
  links: ChainLink[],
  state: { last: string; checked: number; purged: number },
): ChainVerdict | null {
  for (const link of links) {
    if (link.prevHash !== state.last)
      return {
        ok: false,
        checked: state.checked,
        purged: state.purged,
        brokenAt: link.id,
        problem: 'the entry before it is missing or was changed (its link does not match)',
      };
    if ('fields' in link) {
      if (entryHash(link.prevHash, link.fields) !== link.hash)
        return {
          ok: false,
          checked: state.checked,
          purged: state.purged,
          brokenAt: link.id,
          problem: 'the entry was changed after it was written (its hash does not match)',
        };
      state.checked++;
    } else state.purged++;
    state.last = link.hash;
  }
  return null;
}
