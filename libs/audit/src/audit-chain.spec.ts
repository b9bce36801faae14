import {
  canonicalJson,
  ChainedFields,
  ChainLink,
  entryHash,
  GENESIS_HASH,
  verifyLinks,
} from './audit-chain';

const fields = (action: string, details: unknown = null): ChainedFields => ({
  at: '2026-01-05T10:00:00.000Z',
  actorId: '00000000-0000-4000-8000-000000000001',
  actorRole: 'agent',
  clientAddress: '127.0.0.1',
  action,
  objectType: 'ticket',
  objectId: '00000000-0000-4000-8000-000000000002',
  organizationId: null,
  ticketId: null,
  details,
});

function chain(actions: string[]): ChainLink[] {
  let prev = GENESIS_HASH;
  return actions.map((a, i) => {
    const f = fields(a, { n: i });
    const hash = entryHash(prev, f);
    const link = { id: String(i + 1), prevHash: prev, hash, fields: f };
    prev = hash;
    return link;
  });
}
const fresh = () => ({ last: GENESIS_HASH, checked: 0, purged: 0 });

describe('canonicalJson', () => {
  it.each([
    [
      { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    ],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [null, 'null'],
    ['é', '"é"'],
  ])('%j → %s', (value, text) => expect(canonicalJson(value)).toBe(text));
});

describe('verifyLinks', () => {
  it('accepts an intact chain', () => {
    expect(verifyLinks(chain(['a', 'b', 'c']), fresh())).toBeNull();
  });

  it('accepts entries removed by the purge when their hashes are kept', () => {
    const links = chain(['a', 'b', 'c']);
    const purged: ChainLink = {
      id: '2',
      prevHash: links[1].prevHash,
      hash: links[1].hash,
      purged: true,
    };
    const state = fresh();
    expect(verifyLinks([links[0], purged, links[2]], state)).toBeNull();
    expect(state).toMatchObject({ checked: 2, purged: 1 });
  });

  it.each([
    [
      'a changed field',
      (l: ChainLink[]) => [
        l[0],
        { ...l[1], fields: { ...(l[1] as { fields: ChainedFields }).fields, action: 'x' } },
        l[2],
      ],
      '2',
      'changed',
    ],
    ['a deleted entry', (l: ChainLink[]) => [l[0], l[2]], '3', 'missing'],
    ['a swapped order', (l: ChainLink[]) => [l[1], l[0], l[2]], '2', 'missing'],
  ])('finds %s', (_what, tamper, brokenAt, problem) => {
    const verdict = verifyLinks(tamper(chain(['a', 'b', 'c'])) as ChainLink[], fresh());
    expect(verdict).toMatchObject({ ok: false, brokenAt });
    expect(verdict!.problem).toContain(problem);
  });

  it('does not depend on the key order of the details', () => {
    const f = fields('a', { x: 1, y: 2 });
    expect(entryHash(GENESIS_HASH, f)).toBe(
      entryHash(GENESIS_HASH, { ...f, details: { y: 2, x: 1 } }),
    );
  });
});
