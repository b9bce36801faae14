export { AuditService, type AuditEntry } from './audit.service';
export { AuditCoreModule } from './audit.module';
export { AuditController } from './audit.controller';
