/**
 * Bad input as the outside checks send it: deeply nested JSON, strings with a NUL character,
 * paging cursors that are not ours, ids that are not uuids.
 */

/** A NUL character: PostgreSQL refuses it in text. */
export const NUL = '\u0000';

/** `depth` nested arrays around `inner`, as JSON text (built without recursion). */
export function nestedArrays(depth: number, inner = '1'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

/** `depth` nested objects `{"a":{"a":…}}`, as JSON text. */
export function nestedObjects(depth: number, inner = '1'): string {
  return '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

/** A JSON object text whose `field` holds `depth` nested arrays, the other fields as given. */
export function withNestedField(
  fields: Record<string, unknown>,
  field: string,
  depth = 20_000,
): string {
  const rest = JSON.stringify(fields).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}${JSON.stringify(field)}:${nestedArrays(depth)}}`;
}

/** A paging cursor as the API encodes one (base64url JSON), with any content. */
export const cursorOf = (content: unknown): string =>
  Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)).toString(
    'base64url',
  );

/** Cursors that no page of ours gave out, each with what is wrong with it. */
export const BAD_CURSORS: [string, string][] = [
  ['not base64 at all', '!!!***'],
  ['base64 of a non-JSON text', cursorOf('hello')],
  ['a JSON number', cursorOf(42)],
  ['a JSON array', cursorOf([1, 2])],
  ['null', cursorOf('null')],
  ['a number that is not one', cursorOf({ n: 'abc' })],
  ['a number in exponent form', cursorOf({ n: '1e5' })],
  ['a number beyond bigint', cursorOf({ n: '99999999999999999999999999' })],
  ['a negative number', cursorOf({ n: '-5' })],
  ['a number as JSON number', cursorOf({ n: 5 })],
  ['a cursor with extra fields', cursorOf({ n: '5', x: 1 })],
  ['a NUL in the number', cursorOf({ n: `5${NUL}` })],
  ['a due cursor with a bad id', cursorOf({ d: '2026-01-05T10:00:00.000Z', id: 'nope' })],
  [
    'a due cursor with a 36-dash id',
    cursorOf({ d: '2026-01-05T10:00:00.000Z', id: '-'.repeat(36) }),
  ],
  [
    'a due cursor with February 30',
    cursorOf({ d: '2026-02-30T10:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' }),
  ],
  [
    'a due cursor far beyond any date',
    cursorOf({ d: '+275760-09-13T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' }),
  ],
  [
    'a due cursor without a zone',
    cursorOf({ d: '2026-01-05 10:00', id: '00000000-0000-4000-8000-000000000000' }),
  ],
];

/** Path parameters that are not uuids. */
export const BAD_IDS: [string, string][] = [
  ['a word', 'nope'],
  ['36 dashes', '-'.repeat(36)],
  ['a uuid with a NUL', `00000000-0000-4000-8000-00000000000${NUL}`],
  ['a uuid too long', '00000000-0000-4000-8000-0000000000000'],
  ['a uuid with braces', '{00000000-0000-4000-8000-000000000000}'],
  ['a number', '12345678901234567890'],
];
