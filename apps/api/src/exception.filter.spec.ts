import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from './exception.filter';

/** What the filter answers for `exception`: status, headers and JSON body. */
function answer(exception: unknown) {
  const out = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return res;
    },
    setHeader(k: string, v: string) {
      out.headers[k] = v;
      return res;
    },
    json(b: unknown) {
      out.body = b;
      return res;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return out;
}

const pg = (code: string, message: string) =>
  new QueryFailedError('SELECT …', [], Object.assign(new Error(message), { code }));

describe('AllExceptionsFilter and PostgreSQL', () => {
  it.each([
    ['22P02', 'invalid input syntax for type uuid: "nope"'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22007', 'invalid input syntax for type timestamp with time zone: "x"'],
    ['22008', 'date/time field value out of range: "2026-02-30"'],
    ['22003', 'value "99999999999999999999" is out of range for type bigint'],
  ])('input refused by PostgreSQL (%s) is a 400 that says what was wrong', (code, message) => {
    const a = answer(pg(code, message));
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(message),
    });
  });

  it.each(['40P01', '40001'])('%s still there after the retries is a 503 to try again', (code) => {
    const a = answer(pg(code, 'deadlock detected'));
    expect(a.status).toBe(503);
    expect(a.headers['Retry-After']).toBe('1');
    expect(a.body).toMatchObject({ code: 'busy' });
  });

  it('any other database error stays a 500 with an error id', () => {
    const a = answer(pg('23505', 'duplicate key value violates unique constraint'));
    expect(a.status).toBe(500);
    expect(JSON.stringify(a.body)).not.toContain('duplicate key');
  });
});
