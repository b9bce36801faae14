/** The one way the SPA talks to the API: same origin, the session cookie, JSON in and out. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Every message the API gave (Nest's validation returns one per problem). */
    readonly messages: string[],
    /** The API's error code (`bad_code`, `two_factor_required`, …). */
    readonly code?: string,
  ) {
    super(message);
  }

  /** The messages that concern one field (they name it first, or as "property <field>"). */
  forField(field: string): string[] {
    const f = field.toLowerCase();
    return this.messages.filter((m) => {
      const lower = m.toLowerCase();
      return (
        lower.startsWith(`${f} `) ||
        lower.startsWith(`${f}:`) ||
        lower.startsWith(`${f}.`) ||
        lower.startsWith(`${f}[`) ||
        lower.includes(`property ${f} `) ||
        lower.startsWith(`each of ${f} `) ||
        lower.startsWith(`policy: ${f}`) ||
        lower.startsWith(`calendar: ${f}`)
      );
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

/** What the API says a signed-in user must do first (enrol in 2FA, change a password an admin set). */
export type SetupStep = 'two_factor_required' | 'password_change_required';
let onSetupRequired: (step: SetupStep) => void = () => undefined;
export function setSetupRequiredListener(fn: (step: SetupStep) => void): void {
  onSetupRequired = fn;
}

function messagesOf(status: number, data: unknown): string[] {
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown; error?: unknown };
    if (Array.isArray(d.errors) && d.errors.length) {
      return d.errors.map((e) =>
        typeof e === 'string'
          ? e
          : `${(e as { field?: string }).field ?? ''} ${(e as { message?: string }).message ?? ''}`.trim(),
      );
    }
    if (Array.isArray(d.message)) return d.message.map(String);
    if (typeof d.message === 'string') return [d.message];
    if (typeof d.error === 'string') return [d.error];
  }
  if (typeof data === 'string' && data) return [data];
  return [`The server answered ${status}`];
}

/** The result of an openapi-fetch call: the body, or an ApiError saying what the API said was wrong. */
export async function unwrap<T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(
      0,
      'The helpdesk server cannot be reached. Check your connection and try again.',
      [],
    );
  }
  if (!result.response.ok) {
    const messages = messagesOf(result.response.status, result.error);
    if (result.response.status === 401 && !result.response.url.includes('/api/auth/login'))
      onUnauthorised();
    const code =
      result.error && typeof result.error === 'object'
        ? ((result.error as { code?: unknown }).code as string | undefined)
        : undefined;
    if (
      result.response.status === 403 &&
      (code === 'two_factor_required' || code === 'password_change_required')
    )
      onSetupRequired(code);
    throw new ApiError(result.response.status, messages.join('; '), messages, code);
  }
  return result.data as T;
}
