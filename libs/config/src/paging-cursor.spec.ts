import {
  decodeCursor,
  encodeCursor,
  isCursorCount,
  isCursorInstant,
  isCursorUuid,
} from './paging-cursor';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const BY_NUMBER = { n: isCursorCount };
const BY_DUE = { d: (v: string) => v === 'infinity' || isCursorInstant(v), id: isCursorUuid };
const ID = '0b6e3c7a-8f1e-4d2a-9c3b-5e6f7a8b9c0d';

describe('paging cursors', () => {
  it.each<[string, Record<string, string>, object]>([
    ['a number', { n: '42' }, BY_NUMBER],
    ['the largest bigint', { n: '9223372036854775807' }, BY_NUMBER],
    ['a due time', { d: '2026-01-05T10:00:00.000Z', id: ID }, BY_DUE],
    ['no due time', { d: 'infinity', id: ID }, BY_DUE],
  ])('%s: decodes what it encodes', (_what, fields, shape) => {
    expect(decodeCursor(encodeCursor(fields), shape as typeof BY_NUMBER)).toEqual(fields);
  });

  it.each<[string, string, object]>([
    ['empty', '', BY_NUMBER],
    ['not base64url', '!!!', BY_NUMBER],
    ['padded base64', `${b64('{"n":"1"}')}==`, BY_NUMBER],
    ['too long', 'A'.repeat(1001), BY_NUMBER],
    ['not JSON', b64('hello'), BY_NUMBER],
    ['null', b64('null'), BY_NUMBER],
    ['an array', b64('["1"]'), BY_NUMBER],
    ['a number', b64('42'), BY_NUMBER],
    ['a field missing', b64('{}'), BY_NUMBER],
    ['a number as JSON number', b64('{"n":5}'), BY_NUMBER],
    ['letters', b64('{"n":"abc"}'), BY_NUMBER],
    ['an exponent', b64('{"n":"1e5"}'), BY_NUMBER],
    ['a sign', b64('{"n":"-5"}'), BY_NUMBER],
    ['a leading zero', b64('{"n":"05"}'), BY_NUMBER],
    ['beyond bigint', b64('{"n":"9223372036854775808"}'), BY_NUMBER],
    ['a NUL', b64('{"n":"5\\u0000"}'), BY_NUMBER],
    ['an extra field', b64('{"n":"5","x":"1"}'), BY_NUMBER],
    ['another order', b64('{"n":"5"}'), BY_DUE],
    ['a bad id', b64(`{"d":"2026-01-05T10:00:00.000Z","id":"nope"}`), BY_DUE],
    ['36 dashes', b64(`{"d":"2026-01-05T10:00:00.000Z","id":"${'-'.repeat(36)}"}`), BY_DUE],
    ['February 30', b64(`{"d":"2026-02-30T10:00:00.000Z","id":"${ID}"}`), BY_DUE],
    ['hour 24', b64(`{"d":"2026-02-03T24:00:00.000Z","id":"${ID}"}`), BY_DUE],
    ['a six-digit year', b64(`{"d":"+275760-09-13T00:00:00.000Z","id":"${ID}"}`), BY_DUE],
    ['no zone', b64(`{"d":"2026-01-05 10:00","id":"${ID}"}`), BY_DUE],
    ['an offset', b64(`{"d":"2026-01-05T10:00:00.000+01:00","id":"${ID}"}`), BY_DUE],
  ])('%s: 400 invalid cursor', (_what, text, shape) => {
    expect(() => decodeCursor(text, shape as typeof BY_NUMBER)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'invalid_cursor' }),
    );
    expect(() => decodeCursor(text, shape as typeof BY_NUMBER)).toThrow(/^invalid cursor/);
  });
});
