import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting in the request being served, for entries recorded deep in a service. */
export interface AuditContext {
  actor?: { id: string; role: string } | null;
  clientAddress?: string | null;
}

export const auditContext = new AsyncLocalStorage<AuditContext>();
export const currentAuditContext = (): AuditContext => auditContext.getStore() ?? {};
