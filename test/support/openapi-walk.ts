/**
 * The routes of the api's OpenAPI document (/api/docs-json), values their schemas accept, and one
 * raw HTTP call per request (a server-sent event stream is read for its first second only).
 */
import { request as httpRequest } from 'node:http';
import type { Harness } from './harness';

export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  minLength?: number;
  items?: Schema;
  required?: string[];
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
};

export interface Operation {
  parameters?: {
    name: string;
    in: 'path' | 'query' | 'header';
    required?: boolean;
    schema?: Schema;
  }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface Route {
  method: string;
  path: string;
  op: Operation;
}

export interface ApiDocument {
  routes: Route[];
  schemas: Record<string, Schema>;
}

/** Every operation of the document (GET first, DELETE last, so a walk removes things at its end). */
export async function loadRoutes(h: Harness): Promise<ApiDocument> {
  const doc = (await h.http.get('/api/docs-json').expect(200)).body;
  const order = ['get', 'post', 'put', 'patch', 'delete'];
  const routes = Object.entries(doc.paths as Record<string, Record<string, Operation>>)
    .flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => order.includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    )
    .sort((a, b) => order.indexOf(a.method.toLowerCase()) - order.indexOf(b.method.toLowerCase()));
  return { routes, schemas: doc.components?.schemas ?? {} };
}

export const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

export function resolveSchema(s: Schema, schemas: Record<string, Schema>): Schema {
  return s.$ref
    ? resolveSchema(schemas[s.$ref.split('/').pop()!], schemas)
    : (s.allOf?.[0] ?? s.oneOf?.[0] ?? s.anyOf?.[0] ?? s);
}

/**
 * A value the schema accepts (every property, not only the required): enough to get past
 * validation. `text` is added to each free-text string (no enum, no format), e.g. a NUL character.
 */
export function sampleOf(
  raw: Schema,
  schemas: Record<string, Schema>,
  uuid: string,
  text = '',
  depth = 0,
): unknown {
  const s = resolveSchema(raw, schemas);
  if (depth > 8) return null;
  const free = s.type === 'string' && !s.enum && !s.format;
  if (s.example !== undefined)
    return free && typeof s.example === 'string' ? s.example + text : s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (s.type) {
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return s.items ? [sampleOf(s.items, schemas, uuid, text, depth + 1)] : [];
    case 'string':
      if (s.format === 'uuid') return uuid;
      if (s.format === 'email') return 'walker@acme.example';
      if (s.format === 'date-time') return '2026-01-05T10:00:00Z';
      return 'w'.repeat(Math.max(s.minLength ?? 0, 12)) + text;
    default:
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, p]) => [
          name,
          sampleOf(p, schemas, uuid, text, depth + 1),
        ]),
      );
  }
}

export interface RawBody {
  payload: Buffer;
  type: string;
}

/** A multipart/form-data body of text fields and one file. */
export async function multipart(fields: Record<string, string>, file?: string): Promise<RawBody> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file, new Blob([Buffer.from('walk')]), 'walk.txt');
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    type: encoded.headers.get('content-type')!,
  };
}

/** One call on a connection of its own; a server-sent event stream is cut after its first second. */
export function rawCall(
  base: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: RawBody,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${url}`,
      {
        method,
        agent: false,
        headers: {
          ...headers,
          ...(body ? { 'content-type': body.type, 'content-length': body.payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        if ((res.headers['content-type'] ?? '').includes('text/event-stream'))
          setTimeout(() => {
            done();
            req.destroy();
          }, 1000);
      },
    );
    req.on('error', reject);
    req.end(body?.payload);
  });
}
