import { QueryFailedError } from 'typeorm';
import { retryableCode, retryDelayMs, retryTransaction } from './transaction-retry';

const pgError = (code: string) =>
  new QueryFailedError('UPDATE …', [], Object.assign(new Error(`error ${code}`), { code }));

describe('retryTransaction', () => {
  it.each([
    ['40P01', '40P01'],
    ['40001', '40001'],
    ['23505', null],
    ['22P02', null],
  ])('TypeORM error %s: retryable as %s', (code, expected) => {
    expect(retryableCode(pgError(code))).toBe(expected);
    expect(retryableCode(Object.assign(new Error('pg'), { code }))).toBe(expected);
  });

  it.each([null, undefined, 'text', new Error('plain')])('%p: not retryable', (e) => {
    expect(retryableCode(e)).toBeNull();
  });

  it('runs a transaction aborted as a deadlock or serialization failure again', async () => {
    const codes = ['40P01', '40001'];
    let tries = 0;
    const result = await retryTransaction(
      async () => {
        tries++;
        const code = codes.shift();
        if (code) throw pgError(code);
        return 'committed';
      },
      { baseDelayMs: 1 },
    );
    expect(result).toBe('committed');
    expect(tries).toBe(3);
  });

  it('throws any other error at once', async () => {
    let tries = 0;
    await expect(
      retryTransaction(async () => {
        tries++;
        throw pgError('23505');
      }),
    ).rejects.toThrow('error 23505');
    expect(tries).toBe(1);
  });

  it('gives up after the attempts, with the last error', async () => {
    let tries = 0;
    await expect(
      retryTransaction(
        async () => {
          tries++;
          throw pgError('40P01');
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('error 40P01');
    expect(tries).toBe(3);
  });

  it.each([
    [1, 0, 10],
    [1, 0.5, 20],
    [1, 0.999, 30],
    [2, 0.5, 40],
    [4, 0.5, 160],
  ])('try %d, random %d: waits %d ms (base 20, doubling, jittered 50–150 %%)', (n, r, ms) => {
    expect(retryDelayMs(n, 20, () => r)).toBe(ms);
  });
});
