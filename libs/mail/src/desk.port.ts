import type { Severity } from '@app/sla';

/**
 * What the mail channel needs from the rest of the helpdesk (tickets, identity), in its own words.
 * `desk.adapter.ts` implements it with the TicketsService and the identity services.
 */
export interface DeskTicket {
  id: string;
  reference: string;
  organizationId: string;
  requesterId: string;
  requesterEmail: string;
  subject: string;
  severity: Severity;
  status: string;
  /** When the first response is due (null when there is no running first-response target). */
  firstResponseDueAt: Date | null;
}

export interface DeskUser {
  id: string;
  email: string;
  name: string;
  role: string;
  organizationId: string | null;
}

export interface NewMailTicket {
  requester: DeskUser;
  subject: string;
  description: string;
  /** From a subject tag; null: the organisation's default. */
  severity: Severity | null;
  receivedAt: Date;
  /** The ticket this mail answered, when the sender was not one of its organisation's people. */
  linkedTo: DeskTicket | null;
  /** The inbound mail it is made from: filing that mail again finds this ticket. */
  sourceKey: string;
}

export interface MailDesk {
  ticketById(id: string): Promise<DeskTicket | null>;
  ticketByReference(reference: string): Promise<DeskTicket | null>;
  userByEmail(email: string): Promise<DeskUser | null>;
  /** The organisation whose mail domains include the address's domain. */
  organizationForEmail(email: string): Promise<{ id: string; name: string } | null>;
  createCustomer(email: string, name: string, organizationId: string): Promise<DeskUser>;
  /** A requester for a sender no organisation knows, in the triage organisation. */
  triageRequester(email: string, name: string): Promise<DeskUser>;
  openTicket(input: NewMailTicket): Promise<DeskTicket>;
  /** `sourceKey` names the inbound mail: filing it again adds nothing. Returns the message's id. */
  addCustomerMessage(
    ticket: DeskTicket,
    author: DeskUser,
    body: string,
    receivedAt: Date,
    sourceKey: string,
  ): Promise<string>;
  /** The requester asked for another severity by mail (tag in a reply's subject). */
  requestSeverity(
    ticket: DeskTicket,
    author: DeskUser,
    severity: Severity,
    sourceKey: string,
  ): Promise<void>;
}

export const MAIL_DESK = Symbol('MAIL_DESK');
