import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('serves an entry until its time is up, then forgets it', () => {
    let now = 1_000;
    const cache = new TtlCache<string, number>(5_000, 100, () => now);
    cache.set('a', 1);
    now = 5_999;
    expect(cache.get('a')).toBe(1);
    now = 6_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('empties itself when full, and deletes and clears on demand', () => {
    const cache = new TtlCache<string, number>(60_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, 3]);
    cache.delete('c');
    expect(cache.get('c')).toBeUndefined();
    cache.set('d', 4);
    cache.clear();
    expect(cache.get('d')).toBeUndefined();
  });
});
