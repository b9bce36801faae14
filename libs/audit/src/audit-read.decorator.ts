import { SetMetadata } from '@nestjs/common';

export const AUDIT_READ_KEY = 'audit:read';

/** What a route reads: the object's type, the route parameter holding its id, and the action. */
export interface AuditReadSpec {
  type: 'ticket' | 'attachment' | 'mail_attachment' | 'inbound_mail' | 'report' | 'export' | string;
  param: string;
  action: string;
}

/**
 * A staff call of this route that succeeds is an audited read of customer data (deduplicated per
 * person and object over 5 minutes; the organisation is found from the object).
 */
export const AuditRead = (spec: AuditReadSpec) => SetMetadata(AUDIT_READ_KEY, spec);
