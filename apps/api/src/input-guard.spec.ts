import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  findNul,
  jsonDepth,
  limitJsonDepth,
  RefuseNulCharacters,
  RefuseUndocumentedNull,
  undocumentedNulls,
} from './input-guard';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['[]', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['[[],[],[]]', 2],
    ['"[[[[{{{{"', 0],
    ['{"a\\"[[[":"\\\\"}', 1],
    ['{"a":"\\u005b[["}', 1],
  ])('%s: %d', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
    expect(jsonDepth(Buffer.from(text))).toBe(depth);
  });

  it('counts 100 000 levels without recursion', () => {
    expect(jsonDepth('['.repeat(100_000) + ']'.repeat(100_000))).toBe(100_000);
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth('['.repeat(1000), 5)).toBe(6);
  });

  it('the body parser hook refuses a body past the limit with a 400 that says so', () => {
    const verify = limitJsonDepth(3);
    expect(() => verify({} as never, {}, Buffer.from('[[[1]]]'), 'utf-8')).not.toThrow();
    expect(() => verify({} as never, {}, Buffer.from('[[[[1]]]]'), 'utf-8')).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'The request body is too deeply nested (more than 3 levels).',
      }),
    );
    const utf16 = Buffer.from('[[[["ü"]]]]', 'utf16le');
    expect(() => verify({} as never, {}, utf16, 'utf-16le')).toThrow(/too deeply nested/);
  });
});

describe('findNul', () => {
  it.each<[unknown, string | null]>([
    ['plain', null],
    ['a\u0000b', ''],
    [{ subject: 'ok', body: 'x\u0000' }, 'body'],
    [{ document: { week: { mon: [['09:00', '18\u0000']] } } }, 'document.week.mon[0][1]'],
    [{ ['sub\u0000ject']: 'x' }, '"sub\\u0000ject"'],
    [{ 'odd key': 'x\u0000' }, '"odd key"'],
    [[1, true, null, undefined, 'fine'], null],
    [{ n: 5, d: new Date(0), b: Buffer.from([0]) }, null],
  ])('%j: %j', (value, path) => {
    expect(findNul(value)).toBe(path);
  });

  it('walks deep values without recursion', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep)).toMatch(/^(\[0\]){100000}$/);
  });
});

describe('RefuseNulCharacters', () => {
  const pipe = new RefuseNulCharacters();
  it.each<[unknown, 'body' | 'query' | 'param', string | undefined, string]>([
    [{ email: 'a@b\u0000' }, 'body', undefined, 'email must not contain'],
    ['review\u0000', 'query', 'status', 'status must not contain'],
    [{ cursor: '\u0000' }, 'query', undefined, 'cursor must not contain'],
    ['\u0000', 'param', 'id', 'id must not contain'],
    ['\u0000', 'body', undefined, 'the body must not contain'],
  ])('%j in %s %s', (value, type, data, message) => {
    expect(() => pipe.transform(value, { type, data })).toThrow(message);
  });

  it('passes clean values and custom parameters (the signed-in user) untouched', () => {
    const v = { subject: 'x' };
    expect(pipe.transform(v, { type: 'body' })).toBe(v);
    expect(pipe.transform('\u0000', { type: 'custom' })).toBe('\u0000');
  });
});

class ChangeDto {
  @ApiPropertyOptional() severity?: number;
  @ApiPropertyOptional({ type: String, nullable: true }) assigneeId?: string | null;
  @ApiProperty() reason: string;
}

describe('RefuseUndocumentedNull', () => {
  it.each<[object, string[]]>([
    [{ severity: 2, assigneeId: null }, []],
    [{ severity: null }, ['severity']],
    [{ severity: null, reason: null, assigneeId: null }, ['severity', 'reason']],
    [{ undocumented: null }, []],
  ])('%j: %j', (body, fields) => {
    expect(undocumentedNulls(ChangeDto, body)).toEqual(fields);
  });

  it('refuses in a body with a 400 naming the field; query and path values pass', () => {
    const pipe = new RefuseUndocumentedNull();
    expect(() => pipe.transform({ severity: null }, { type: 'body', metatype: ChangeDto })).toThrow(
      'severity must not be null (leave it out instead)',
    );
    expect(pipe.transform({ severity: null }, { type: 'query', metatype: ChangeDto })).toEqual({
      severity: null,
    });
    expect(pipe.transform(null, { type: 'body', metatype: ChangeDto })).toBeNull();
  });
});
