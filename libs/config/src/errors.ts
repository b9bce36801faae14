/**
 * Domain errors: each bounded context throws these with a code and a message that says what was
 * wrong; the api's one exception filter maps the kind to an HTTP status.
 */
export type DomainErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_many';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export const invalid = (code: string, msg: string) => new DomainError('invalid', code, msg);
export const notFound = (code: string, msg: string) => new DomainError('not_found', code, msg);
export const forbidden = (code: string, msg: string) => new DomainError('forbidden', code, msg);
export const conflict = (code: string, msg: string) => new DomainError('conflict', code, msg);
