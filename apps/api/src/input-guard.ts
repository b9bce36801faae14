import { invalid } from '@app/config';
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** JSON bodies deeper than this are refused before they are parsed (no DTO is half as deep). */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of `[` and `{` in a JSON text, counted without parsing (strings skipped),
 * stopping as soon as it passes `limit`. A byte scan is enough for UTF-8: no byte of a multi-byte
 * character is ASCII.
 */
export function jsonDepth(text: Uint8Array | string, limit = Infinity): number {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * The `verify` hook of the JSON body parser: a body nested deeper than `max` is a 400 `too deeply
 * nested` before anything (JSON.parse, class-transformer, class-validator) recurses into it.
 */
export function limitJsonDepth(max = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void => {
    const utf8 = !encoding || /^utf-?8$/i.test(encoding);
    const text = utf8 ? body : new TextDecoder(encoding).decode(body);
    if (jsonDepth(text, max) > max)
      throw Object.assign(
        new Error(`The request body is too deeply nested (more than ${max} levels).`),
        { status: 400, type: 'too_deeply_nested' },
      );
  };
}

/** How a value is named in a message: `document.week.mon[0]`. */
const child = (path: string, key: string | number) =>
  typeof key === 'number'
    ? `${path}[${key}]`
    : `${path ? `${path}.` : ''}${/^[\w$-]+$/.test(key) ? key : JSON.stringify(key)}`;

/**
 * Where the first NUL character (U+0000) is in a value (a string, or in a key or string of an array
 * or plain object, walked without recursion): its path, '' for the value itself; null: none.
 */
export function findNul(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], child(path, i)]);
    } else if (v && typeof v === 'object' && isPlain(v)) {
      const entries = Object.entries(v);
      for (const [k] of entries) if (k.includes('\u0000')) return child(path, k);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push([entries[i][1], child(path, entries[i][0])]);
    }
  }
  return null;
}

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * A global pipe, before validation: a NUL character in any string of a body (JSON or multipart
 * fields), query or path parameter is a 400 naming the field. PostgreSQL cannot store it in text.
 */
@Injectable()
export class RefuseNulCharacters implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    const path = findNul(value);
    if (path === null) return value;
    const name = [meta.data, path].filter(Boolean).join('.') || `the ${meta.type}`;
    throw invalid(
      'nul_character',
      `${name} must not contain a NUL character (\\u0000): PostgreSQL cannot store it.`,
    );
  }
}

/** Where @nestjs/swagger keeps a DTO property's documentation (ApiProperty options). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** The documented fields of `dto` that `body` sets to null although the document does not allow it. */
export function undocumentedNulls(dto: unknown, body: unknown): string[] {
  if (typeof dto !== 'function' || !body || typeof body !== 'object' || Array.isArray(body))
    return [];
  return Object.entries(body)
    .filter(([key, v]) => {
      if (v !== null) return false;
      const doc = Reflect.getMetadata(API_MODEL_PROPERTIES, dto.prototype, key) as
        { nullable?: boolean } | undefined;
      return doc !== undefined && !doc.nullable;
    })
    .map(([key]) => key);
}

/**
 * A global pipe, before validation: null is a value only where the OpenAPI document says a field
 * is nullable (e.g. `assigneeId: null` unassigns). Elsewhere `@IsOptional()` would let it through
 * as if the field were left out, and the service would be handed a null it does not expect.
 */
@Injectable()
export class RefuseUndocumentedNull implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type !== 'body') return value;
    const nulls = undocumentedNulls(meta.metatype, value);
    if (!nulls.length) return value;
    throw invalid(
      'null_not_allowed',
      nulls.map((k) => `${k} must not be null (leave it out instead)`).join('; '),
    );
  }
}
