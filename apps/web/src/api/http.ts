/** The one way the SPA talks to the API: same origin, the session cookie, JSON in and out. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Every message the API gave (Nest's validation returns one per problem). */
    readonly messages: string[],
  ) {
    super(message);
  }

  /** The messages that concern one field (they name it first, or as "property <field>"). */
  forField(field: string): string[] {
    const f = field.toLowerCase();
    return this.messages.filter((m) => {
      const lower = m.toLowerCase();
      return lower.startsWith(`${f} `) || lower.startsWith(`${f}:`) || lower.startsWith(`${f}.`) || lower.startsWith(`${f}[`) || lower.includes(`property ${f} `) || lower.startsWith(`each of ${f} `) || lower.startsWith(`policy: ${f}`) || lower.startsWith(`calendar: ${f}`);
    });
  }

  /** The messages that no field of `fields` claims: shown above the form. */
  general(fields: string[]): string[] {
    return this.messages.filter((m) => !fields.some((f) => this.forField(f).includes(m)));
  }
}

export type UnauthorisedListener = () => void;
let onUnauthorised: UnauthorisedListener = () => undefined;
export function setUnauthorisedListener(fn: UnauthorisedListener): void {
  onUnauthorised = fn;
}

function messagesOf(status: number, data: unknown): string[] {
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown; error?: unknown };
    if (Array.isArray(d.errors) && d.errors.length) {
      return d.errors.map((e) =>
        typeof e === 'string' ? e : `${(e as { field?: string }).field ?? ''} ${(e as { message?: string }).message ?? ''}`.trim(),
      );
    }
    if (Array.isArray(d.message)) return d.message.map(String);
    if (typeof d.message === 'string') return [d.message];
    if (typeof d.error === 'string') return [d.error];
  }
  if (typeof data === 'string' && data) return [data];
  return [`The server answered ${status}`];
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The helpdesk server cannot be reached. Check your connection and try again.', []);
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const messages = messagesOf(res.status, data);
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorised();
    throw new ApiError(res.status, messages.join('; '), messages);
  }
  return data as T;
}

export const http = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
