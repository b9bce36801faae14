export {
  AuditService,
  auditCsv,
  type AuditActor,
  type AuditEntry,
  type AuditEvent,
  type AuditFilter,
  type TicketViewer,
} from './audit.service';
export { AuditCoreModule } from './audit.module';
export { AuditController } from './audit.controller';
export { AuditGuard, auditContextMiddleware } from './audit.guard';
export { AuditRead, type AuditReadSpec } from './audit-read.decorator';
export { auditContext, currentAuditContext } from './audit-context';
export {
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  verifyLinks,
  type ChainVerdict,
} from './audit-chain';
export { changedFields, maskedBody, MASKED } from './audit-changes';
export { AUDIT_CHAIN_LOCK } from './audit-writer';
