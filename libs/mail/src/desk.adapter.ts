import { DomainError } from '@app/config';
import { AuthUser, IdentityService, OrganizationsService } from '@app/identity';
import { PoliciesService } from '@app/severity';
import type { Severity } from '@app/sla';
import { reference, TicketRow, TicketsRepository, TicketsService } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { DeskTicket, DeskUser, MailDesk, NewMailTicket } from './desk.port';

/** Senders no organisation knows are requesters in this organisation, where agents triage them. */
export const TRIAGE_ORGANIZATION = 'Unknown senders (triage)';

const toDeskUser = (u: AuthUser): DeskUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  organizationId: u.organizationId,
});

/** The mail channel's MailDesk over the tickets and identity services. */
@Injectable()
export class TicketsDesk implements MailDesk {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRows: TicketsRepository,
    private readonly identity: IdentityService,
    private readonly orgs: OrganizationsService,
    private readonly policies: PoliciesService,
  ) {}

  private async toDeskTicket(row: TicketRow | null): Promise<DeskTicket | null> {
    if (!row) return null;
    const targets = await this.ticketRows.targetsOf([row.id]);
    const first = targets.find((t) => t.metric === 'first_response' && !t.stopped_at);
    return {
      id: row.id,
      reference: reference(row.number),
      organizationId: row.organization_id,
      requesterId: row.requester_id,
      requesterEmail: row.requester_email,
      subject: row.subject,
      severity: row.severity as Severity,
      status: row.status,
      firstResponseDueAt: first?.due_at ? new Date(first.due_at) : null,
    };
  }

  async ticketById(id: string): Promise<DeskTicket | null> {
    return this.toDeskTicket(await this.ticketRows.findRow(id));
  }

  async ticketByReference(ref: string): Promise<DeskTicket | null> {
    const m = /^HD-(\d{1,12})$/i.exec(ref);
    return m ? this.toDeskTicket(await this.ticketRows.findRowByNumber(Number(m[1]))) : null;
  }

  /** Known senders come from the identity service's short cache (it also serves ticket creation). */
  async userByEmail(email: string): Promise<DeskUser | null> {
    const u = await this.identity.findUserByEmail(email);
    return u ? toDeskUser(u) : null;
  }

  async organizationForEmail(email: string): Promise<{ id: string; name: string } | null> {
    const o = await this.orgs.findByEmailDomain(email);
    return o ? { id: o.id, name: o.name } : null;
  }

  async createCustomer(email: string, name: string, organizationId: string): Promise<DeskUser> {
    try {
      return toDeskUser(
        await this.identity.createUser({ email, name, role: 'customer', organizationId }),
      );
    } catch (err) {
      const again = await this.identity.findUserByEmail(email); // created by a parallel mail
      if (again) return toDeskUser(again);
      throw err;
    }
  }

  async triageRequester(email: string, name: string): Promise<DeskUser> {
    const orgs = await this.orgs.list();
    let triage = orgs.find((o) => o.name === TRIAGE_ORGANIZATION);
    if (!triage) {
      const policy =
        (await this.policies.findPolicyByName('Standard support')) ??
        (await this.policies.listPolicies())[0];
      if (!policy)
        throw new DomainError(
          'invalid',
          'no_policy',
          'no SLA policy exists for the triage organisation',
        );
      try {
        triage = await this.orgs.create({ name: TRIAGE_ORGANIZATION, policyId: policy.id });
      } catch (err) {
        triage = (await this.orgs.list()).find((o) => o.name === TRIAGE_ORGANIZATION);
        if (!triage) throw err;
      }
    }
    return this.createCustomer(email, name, triage.id);
  }

  async openTicket(input: NewMailTicket): Promise<DeskTicket> {
    const view = await this.tickets.fileFromEmail({
      fromEmail: input.requester.email,
      fromName: input.requester.name,
      subject: input.subject,
      body: input.description,
      receivedAt: input.receivedAt,
      severity: input.severity ?? undefined,
      sourceKey: input.sourceKey,
    });
    const first = view.targets.find((t) => t.metric === 'first_response' && !t.stoppedAt);
    return {
      id: view.id,
      reference: view.reference,
      organizationId: view.organizationId,
      requesterId: view.requesterId,
      requesterEmail: view.requesterEmail,
      subject: view.subject,
      severity: view.severity,
      status: view.status,
      firstResponseDueAt: first?.dueAt ? new Date(first.dueAt) : null,
    };
  }

  private async actor(u: DeskUser): Promise<AuthUser> {
    return this.identity.getUser(u.id);
  }

  async addCustomerMessage(
    ticket: DeskTicket,
    author: DeskUser,
    body: string,
    _receivedAt: Date,
    sourceKey: string,
  ): Promise<string> {
    const message = await this.tickets.addMessage(await this.actor(author), ticket.id, {
      body,
      visibility: 'public',
      channel: 'email',
      sourceKey,
    });
    return message.id;
  }

  async requestSeverity(
    ticket: DeskTicket,
    author: DeskUser,
    severity: Severity,
    sourceKey: string,
  ): Promise<void> {
    // Customers may not re-classify through the tickets service (staff only): the request is put on
    // the ticket in words for the agent, and the reply that asked for it is already on the thread.
    await this.tickets.addMessage(await this.actor(author), ticket.id, {
      body: `Requested by mail: please change the severity from ${ticket.severity} to ${severity}.`,
      visibility: 'public',
      channel: 'email',
      sourceKey,
    });
  }
}
