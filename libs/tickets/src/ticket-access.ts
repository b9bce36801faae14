import { forbidden } from '@app/config';
import { type AuthUser, isStaff } from '@app/identity';
import { RESTRICTED_TEXT } from './ticket.types';

/** What the rule needs to know of a viewer: the signed-in user, or whoever a mail goes to. */
export type Viewer = Pick<AuthUser, 'id' | 'role' | 'organizationId' | 'securityClearance'>;

/** The audience of a mail to several people or to addresses we know nothing of. */
export const UNVETTED = Symbol('unvetted audience');

/** What the rule needs to know of a ticket (rows carry it; mails and files join their ticket for it). */
export interface TicketScope {
  sensitive: boolean;
  requesterId: string;
  organizationId: string;
}

/**
 * The one rule of who may see and do what with a ticket, asked wherever ticket data leaves the
 * service (every view mapper: tickets, attachments, mail, outgoing mail, alarms, streams) and by
 * every write path. Nothing else decides it.
 *
 * - Tenant isolation: staff find every ticket; a customer their own; a customer admin their
 *   organisation's. Anything else is 404 (`mayFind`, `tenantSql`).
 * - OFFICIAL-SENSITIVE: the content of a sensitive ticket (subject, description, messages, files,
 *   file names, mail subjects and bodies, free-text reasons) is for its customers and cleared staff
 *   only (`maySeeContent`, `content`). Uncleared staff still see that it exists: reference,
 *   severity, status, targets and due times.
 * - Work (reply, note, attach, re-classify, change status) needs the content (`assertMayWork`);
 *   routing (assign to cleared staff, escalate) is open to all staff, so that an uncleared
 *   dispatcher can hand the ticket on.
 * - Internal notes and their files are for staff only (`maySeeInternal`).
 * - A mail to several people, or to addresses we know nothing of, is `UNVETTED`: it never carries
 *   a sensitive ticket's content.
 */
export const TicketAccess = {
  mayFind(viewer: Viewer, t: Pick<TicketScope, 'requesterId' | 'organizationId'>): boolean {
    if (isStaff(viewer)) return true;
    if (viewer.role === 'customer') return t.requesterId === viewer.id;
    return viewer.role === 'customer_admin' && t.organizationId === viewer.organizationId;
  },

  /**
   * The same rule as a SQL condition on a ticket alias (`t`), for lists; `arg` adds a parameter
   * and returns its placeholder.
   */
  tenantSql(viewer: Viewer, alias: string, arg: (v: unknown) => string): string {
    if (isStaff(viewer)) return 'true';
    if (viewer.role === 'customer') return `${alias}.requester_id = ${arg(viewer.id)}`;
    if (viewer.role === 'customer_admin')
      return `${alias}.organization_id = ${arg(viewer.organizationId)}`;
    return 'false';
  },

  maySeeContent(viewer: Viewer | typeof UNVETTED, t: Pick<TicketScope, 'sensitive'>): boolean {
    if (!t.sensitive) return true;
    if (viewer === UNVETTED) return false;
    return !isStaff(viewer) || viewer.securityClearance;
  },

  /** `value` when the viewer may see the ticket's content, else the placeholder. */
  content<T>(
    viewer: Viewer | typeof UNVETTED,
    t: Pick<TicketScope, 'sensitive'>,
    value: T,
  ): T | typeof RESTRICTED_TEXT {
    return TicketAccess.maySeeContent(viewer, t) ? value : RESTRICTED_TEXT;
  },

  maySeeInternal(viewer: Viewer): boolean {
    return isStaff(viewer);
  },

  assertMayWork(viewer: Viewer, t: Pick<TicketScope, 'sensitive'>): void {
    if (!TicketAccess.maySeeContent(viewer, t))
      throw forbidden(
        'clearance_required',
        'This ticket involves OFFICIAL-SENSITIVE data: only cleared staff may see its content or work on it.',
      );
  },

  assertMayRoute(viewer: Viewer): void {
    if (!isStaff(viewer))
      throw forbidden('staff_only', 'Only staff may assign or escalate a ticket.');
  },
};
