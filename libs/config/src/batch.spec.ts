import { Batch } from './batch';

describe('Batch', () => {
  it('writes the items of one turn together and those arriving meanwhile in the next statement', async () => {
    const statements: number[][] = [];
    let started!: () => void;
    const underWay = new Promise<void>((r) => (started = r));
    const batch = new Batch(async (items: number[]) => {
      statements.push(items);
      started();
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => i * 10);
    });
    const first = [1, 2, 3].map((i) => batch.run(i));
    await underWay; // the first statement is under way
    const second = [4, 5].map((i) => batch.run(i));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(statements).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('with concurrency 2, a second statement starts while the first is under way, never a third', async () => {
    const statements: number[][] = [];
    let underWay = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const batch = new Batch(
      async (items: number[]) => {
        statements.push(items);
        most = Math.max(most, ++underWay);
        await new Promise<void>((r) => release.push(r));
        underWay--;
        return items;
      },
      { concurrency: 2 },
    );
    const started = async (n: number) => {
      while (statements.length < n) await new Promise((r) => setImmediate(r));
    };
    const all = [batch.run(1)];
    await started(1);
    all.push(batch.run(2), batch.run(3));
    await started(2);
    all.push(batch.run(4), batch.run(5));
    await new Promise((r) => setTimeout(r, 10)); // both slots busy: 4 and 5 wait
    expect(statements).toEqual([[1], [2, 3]]);
    release.shift()!();
    await started(3);
    while (release.length) release.shift()!();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(statements).toEqual([[1], [2, 3], [4, 5]]);
    expect(most).toBe(2);
  });

  it('with a linger, items arriving within it share the first statement', async () => {
    const statements: number[][] = [];
    const batch = new Batch(
      async (items: number[]) => {
        statements.push(items);
        return items;
      },
      { lingerMs: 20 },
    );
    const first = batch.run(1);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([first, batch.run(2)]);
    expect(statements).toEqual([[1, 2]]);
  });

  it('keeps a statement within the weight limit, but always carries at least one item', async () => {
    const statements: number[][] = [];
    const batch = new Batch(
      async (items: number[]) => {
        statements.push(items);
        return items;
      },
      { weight: (i) => i, maxWeight: 10 },
    );
    await Promise.all([4, 5, 3, 12, 1].map((i) => batch.run(i)));
    expect(statements).toEqual([[4, 5], [3], [12], [1]]);
  });

  it('tries the items of a failed statement one by one, so one bad item fails alone', async () => {
    const batch = new Batch(async (items: number[]) => {
      if (items.includes(2)) throw new Error('bad item 2');
      return items;
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => batch.run(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad item 2');
  });
});
