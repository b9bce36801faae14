/**
 * Where identity reports security events (2FA turned on or off, reset, a recovery code used,
 * sessions revoked, settings changed). The api binds it to the audit log; identity does not import
 * the audit context (which imports identity's decorators).
 */
export const SECURITY_EVENTS = Symbol('SECURITY_EVENTS');

export interface SecurityEvents {
  record(actorId: string | null, action: string, ticketId: null, details?: unknown): Promise<void>;
}
