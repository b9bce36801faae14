import { AuditService } from '@app/audit';
import {
  annotateLog,
  DomainError,
  forbidden,
  invalid,
  notFound,
  TtlCache,
  transactionWithRetry,
} from '@app/config';
import {
  AuthUser,
  IdentityService,
  isStaff,
  Organization,
  OrganizationsService,
} from '@app/identity';
import { parseInstant, PoliciesService } from '@app/severity';
import {
  planTargets,
  TICKET_KINDS,
  type ClockTrigger,
  type Severity,
  type TicketKind,
} from '@app/sla';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  attachmentsOf,
  attachmentsOfMessages,
  AttachmentView,
  UploadedFile,
  writeUploads,
} from './attachments';
import { SlaTimers } from './sla-timers';
import { ClockWork, ticketRules, TicketClocks } from './ticket-clocks';
import { TicketAccess, type TicketScope } from './ticket-access';
import { TicketInserts } from './ticket-inserts';
import {
  Channel,
  CUSTOMER_CHANNELS,
  CUSTOMER_KINDS,
  LIMITS,
  MessageView,
  reference,
  RESTRICTED_TEXT,
  TicketStatus,
  TicketView,
  Visibility,
} from './ticket.types';
import { TicketRow, TicketsRepository, toTicketView } from './tickets.repository';

export interface NewTicket {
  subject: string;
  description: string;
  severity: number;
  sensitive?: boolean;
  /** ISO 8601 instant; staff only (the time of the phone call). Default: now. */
  receivedAt?: string;
  channel?: Channel;
  /** Staff only: the customer the ticket is for. */
  requesterEmail?: string;
  organizationId?: string;
  /** What the ticket is made from (`chat:<author>:<client id>`): raising it again returns the first. */
  sourceKey?: string;
  /** standard (default), data_protection_request or security_incident; customers: the first two. */
  kind?: TicketKind;
}

export interface NewMessage {
  /** May be empty when files are given. */
  body?: string;
  visibility: Visibility;
  /** Files sent with the message: they take its visibility. */
  files?: UploadedFile[];
  /** An automatic message (e.g. an acknowledgement) never meets a target. */
  automatic?: boolean;
  channel?: Channel;
  /** What the message is made from (`mail:<id>`): adding it again changes nothing. */
  sourceKey?: string;
}

export interface TicketChange {
  severity?: number;
  status?: TicketStatus;
  assigneeId?: string | null;
  reason?: string;
}

/** A ticket row as the access rule reads it. */
export const scopeOf = (
  r: Pick<TicketRow, 'sensitive' | 'requester_id' | 'organization_id'>,
): TicketScope => ({
  sensitive: r.sensitive,
  requesterId: r.requester_id,
  organizationId: r.organization_id,
});

/**
 * Tickets and their SLA targets. Every change of a ticket and of its target rows is one transaction;
 * alarm jobs are (re)queued after the commit. Public methods are used by the HTTP controllers and by
 * the mail channel (`fileFromEmail`, `addMessage`).
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly timers: SlaTimers,
    private readonly identity: IdentityService,
    private readonly orgs: OrganizationsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
    private readonly inserts: TicketInserts,
    private readonly clocks: TicketClocks,
  ) {}

  /** Raises a ticket. Customers raise their own (receivedAt = now); staff may log one for a customer. */
  async create(actor: AuthUser, input: NewTicket): Promise<TicketView> {
    const staff = isStaff(actor);
    if (!staff) {
      for (const field of ['receivedAt', 'requesterEmail', 'organizationId'] as const) {
        if (input[field] !== undefined)
          throw forbidden(
            `${field}_staff_only`,
            `${field} may only be given by staff logging a ticket for a customer.`,
          );
      }
      if (input.channel !== undefined && !CUSTOMER_CHANNELS.includes(input.channel))
        throw forbidden(
          'channel_staff_only',
          `channel ${input.channel} may only be given by staff logging a ticket for a customer.`,
        );
    }
    const kind = input.kind ?? 'standard';
    if (!TICKET_KINDS.includes(kind))
      throw invalid('bad_kind', `kind must be one of ${TICKET_KINDS.join(', ')}`);
    if (!staff && !CUSTOMER_KINDS.includes(kind))
      throw forbidden(
        'kind_staff_only',
        `A ticket of kind ${kind} is opened by staff; customers may file ${CUSTOMER_KINDS.join(' or ')}.`,
      );
    const receivedAt =
      input.receivedAt === undefined
        ? Date.now()
        : parseInstant(input.receivedAt, 'receivedAt', { slackMs: 5_000 });
    let requester: AuthUser;
    if (staff) {
      if (!input.requesterEmail)
        throw invalid(
          'requester_required',
          'requesterEmail is required when staff log a ticket for a customer.',
        );
      requester = await this.resolveRequester(input.requesterEmail, input.organizationId);
    } else requester = actor;
    const view = await this.insert(
      requester,
      {
        subject: input.subject,
        description: input.description,
        severity: input.severity,
        sensitive: input.sensitive ?? false,
        channel: input.channel ?? (staff ? 'phone' : 'web'),
        receivedAt,
        actorId: actor.id,
        sourceKey: input.sourceKey,
        kind,
      },
      staff ? actor : requester,
    );
    annotateLog({ ticket: view.reference });
    return view;
  }

  /**
   * For the mail channel: files a ticket from an e-mail. The sender is looked up by address; an
   * unknown sender whose domain belongs to an organisation becomes a customer user of it.
   * `receivedAt` is when our mail server received the mail; without a severity the ticket takes its
   * organisation's default. Throws DomainError `unknown_sender`.
   */
  async fileFromEmail(mail: {
    fromEmail: string;
    fromName?: string;
    subject: string;
    body: string;
    receivedAt: Date | number;
    severity?: number;
    sensitive?: boolean;
    sourceKey?: string;
  }): Promise<TicketView> {
    const requester = await this.resolveRequester(mail.fromEmail, undefined, mail.fromName);
    const receivedAt = new Date(mail.receivedAt).getTime();
    if (!Number.isFinite(receivedAt))
      throw invalid('bad_receivedAt', 'receivedAt is not a valid time.');
    const subject = (mail.subject.trim() || '(no subject)').slice(0, LIMITS.subject);
    return this.insert(
      requester,
      {
        subject,
        description: mail.body.slice(0, LIMITS.description),
        severity: mail.severity,
        sensitive: mail.sensitive ?? false,
        channel: 'email',
        receivedAt,
        actorId: requester.id,
        sourceKey: mail.sourceKey,
      },
      requester,
    );
  }

  private async resolveRequester(
    email: string,
    organizationId?: string,
    name?: string,
  ): Promise<AuthUser> {
    const existing = await this.identity.findUserByEmail(email);
    if (existing) {
      if (!existing.organizationId)
        throw invalid('requester_not_customer', `${email} is a staff account, not a customer.`);
      if (organizationId && existing.organizationId !== organizationId)
        throw invalid(
          'requester_other_organization',
          `${email} belongs to another organisation than ${organizationId}.`,
        );
      return existing;
    }
    const org = organizationId
      ? await this.orgs.get(organizationId)
      : await this.orgs.findByEmailDomain(email);
    if (!org)
      throw new DomainError(
        'invalid',
        'unknown_sender',
        `${email} is not a known customer and its domain belongs to no organisation; give organizationId.`,
      );
    return this.identity.createUser({
      email,
      name: name?.trim() || email,
      role: 'customer',
      organizationId: org.id,
    });
  }

  private async insert(
    requester: AuthUser,
    /** No severity (an e-mail without a tag): the organisation's default. */
    t: {
      subject: string;
      description: string;
      severity?: number;
      sensitive: boolean;
      channel: Channel;
      receivedAt: number;
      actorId: string;
      sourceKey?: string;
      kind?: TicketKind;
    },
    viewer: AuthUser,
  ): Promise<TicketView> {
    const org = await this.organization(requester.organizationId!);
    const policy = await this.policies.getPolicy(org.policyId);
    const severity = t.severity ?? org.defaultSeverity;
    const kind = t.kind ?? 'standard';
    const planned = planTargets(policy.document, severity as Severity, t.receivedAt, kind);
    const row = await this.inserts.insert({
      ...t,
      kind,
      severity,
      requesterId: requester.id,
      organizationId: org.id,
      policyId: org.policyId,
      targets: planned,
    });
    await this.timers.schedule(
      planned.map((p) => ({
        ticketId: row.id,
        metric: p.metric,
        dueAt: p.dueAt,
        warningAt: p.warningAt,
        version: 1,
      })),
    );
    const view = toTicketView(
      { ...row, requester_email: requester.email, organization_name: org.name },
      row.targets,
    );
    return TicketAccess.maySeeContent(viewer, row) ? view : this.restrict(view);
  }

  /** Organisations change rarely: cached a few seconds per process on the hot path of ticket creation. */
  private readonly orgCache = new TtlCache<string, Organization>(5_000);
  private async organization(id: string): Promise<Organization> {
    const hit = this.orgCache.get(id);
    if (hit) return hit;
    const org = await this.orgs.get(id);
    this.orgCache.set(id, org);
    return org;
  }

  /** One ticket as `viewer` may see it (404 when they may not). Staff reading content is audited. */
  async get(
    viewer: AuthUser,
    id: string,
    opts: { messages?: boolean; audit?: boolean } = {},
  ): Promise<TicketView> {
    const row = await this.readable(viewer, id);
    const view = toTicketView(row, await this.repo.targetsOf([id]));
    const content = TicketAccess.maySeeContent(viewer, row);
    if (opts.messages !== false) {
      const internal = TicketAccess.maySeeInternal(viewer);
      view.messages = content ? await this.repo.messagesOf(id, internal) : [];
      if (content) {
        const files = await attachmentsOf(this.repo.db, id, internal);
        for (const msg of view.messages)
          msg.attachments = files.filter((f) => f.messageId === msg.id);
        view.attachments = files.filter((f) => f.messageId === null);
      }
      if (isStaff(viewer)) view.history = await this.repo.historyOf(id);
    }
    if (!content) return this.restrict(view);
    if (opts.audit !== false && isStaff(viewer))
      this.audit.read({
        action: 'ticket.read',
        actor: { id: viewer.id, role: viewer.role },
        object: { type: 'ticket', id },
        organizationId: row.organization_id,
        details: { reference: view.reference },
      });
    return view;
  }

  /**
   * The messages of a ticket after number `afterSeq` that `viewer` may read (a live client catching up):
   * 404 for a ticket they may not see, nothing for staff without clearance on a restricted one.
   */
  async messagesSince(viewer: AuthUser, id: string, afterSeq: number): Promise<MessageView[]> {
    const row = await this.readable(viewer, id);
    if (!TicketAccess.maySeeContent(viewer, row)) return [];
    return this.withFiles(
      await this.repo.messagesOf(id, TicketAccess.maySeeInternal(viewer), afterSeq),
    );
  }

  /** Messages by (ticket, number) with their files, unchecked: for the live feed, which asks TicketAccess for each reader. */
  async messagesAt(keys: { ticketId: string; seq: number }[]): Promise<MessageView[]> {
    return this.withFiles(await this.repo.messagesAt(keys));
  }

  private async withFiles(messages: MessageView[]): Promise<MessageView[]> {
    const files = await attachmentsOfMessages(
      this.repo.db,
      messages.map((m) => m.id),
    );
    for (const m of messages) m.attachments = files.filter((f) => f.messageId === m.id);
    return messages;
  }

  async findByReference(viewer: AuthUser, ref: string): Promise<TicketView> {
    const m = /^HD-(\d{1,12})$/i.exec(ref.trim());
    const row = m ? await this.repo.findRowByNumber(Number(m[1])) : null;
    if (!row) throw notFound('ticket_not_found', `No ticket ${ref} that you may see.`);
    return this.get(viewer, row.id);
  }

  /**
   * A public reply or an internal note, with the files sent with it (they take its visibility).
   * A public staff reply meets first response, next response and the periodic update; a customer's
   * message arms next response (and takes a pending or resolved ticket back to open).
   */
  async addMessage(
    actor: AuthUser,
    ticketId: string,
    msg: NewMessage,
  ): Promise<{
    id: string;
    ticketId: string;
    seq: number;
    visibility: Visibility;
    createdAt: string;
    attachments: AttachmentView[];
  }> {
    const staff = isStaff(actor);
    if (!staff && msg.visibility === 'internal')
      throw forbidden('internal_staff_only', 'Only staff may write internal notes.');
    const row = await this.readable(actor, ticketId);
    TicketAccess.assertMayWork(actor, row);
    const files = msg.files ?? [];
    if (!msg.body && !files.length)
      throw invalid('body_required', 'body must not be empty (or send files with the message)');
    let attachments: AttachmentView[] = [];
    const meets = staff && msg.visibility === 'public' && !msg.automatic;
    const fromCustomer = !staff && msg.visibility === 'public';
    // Read outside the transaction: a pooled query inside one could wait on the pool it holds.
    const policy = meets || fromCustomer ? await this.policies.getPolicy(row.policy_id) : null;
    let work: ClockWork = { schedule: [], unschedule: [] };
    const message = await transactionWithRetry(
      this.repo.db,
      async (m) => {
        attachments = [];
        const locked = (await this.repo.findRow(ticketId, m, true))!;
        const [created] = await m.query(
          `INSERT INTO ticket_messages (ticket_id, author_id, body, visibility, automatic, channel, source_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (source_key) DO NOTHING RETURNING id, seq, created_at`,
          [
            ticketId,
            actor.id,
            msg.body ?? '',
            msg.visibility,
            msg.automatic ?? false,
            msg.channel ?? 'web',
            msg.sourceKey ?? null,
          ],
        );
        if (!created) {
          // Added before from the same source (a job run again): nothing more to change.
          const [first] = await m.query(
            `SELECT id, seq, created_at FROM ticket_messages WHERE source_key = $1`,
            [msg.sourceKey],
          );
          return first;
        }
        attachments = await writeUploads(m, ticketId, created.id, actor.id, files);
        const at = new Date(created.created_at).getTime();
        let status = locked.status as TicketStatus;
        const triggers: ClockTrigger[] = [];
        if (meets) {
          triggers.push({ type: 'staff_reply', at });
          if (status === 'new') status = 'open';
        } else if (fromCustomer && (status === 'pending' || status === 'resolved')) status = 'open';
        if (status !== locked.status) {
          triggers.push({ type: 'status', from: locked.status, to: status, at });
          await m.query(
            `UPDATE tickets SET status = $2, closed_at = NULL, updated_at = now() WHERE id = $1`,
            [ticketId, status],
          );
          await this.repo.addHistory(
            m,
            ticketId,
            actor.id,
            'status',
            locked.status,
            status,
            meets
              ? 'first public reply'
              : locked.status === 'resolved'
                ? 'customer replied: reopened'
                : 'customer replied',
          );
        } else await m.query(`UPDATE tickets SET updated_at = now() WHERE id = $1`, [ticketId]);
        if (fromCustomer) triggers.push({ type: 'customer_message', at });
        if (policy) work = await this.clocks.apply(m, locked, policy.document, triggers, actor.id);
        return created;
      },
      { what: `a message on ticket ${ticketId}` },
    );
    await this.timers.unschedule(work.unschedule);
    await this.timers.schedule(work.schedule);
    if (staff) await this.audit.record(actor.id, `message.${msg.visibility}`, ticketId);
    return {
      id: message.id as string,
      ticketId,
      seq: message.seq as number,
      visibility: msg.visibility,
      createdAt: new Date(message.created_at).toISOString(),
      attachments,
    };
  }

  /**
   * Re-classification, status and assignment. Severity re-times open targets from their start
   * (first response: receipt); a status moves the clocks (pending pauses, resolved meets resolution).
   * Re-classifying and changing the status are work (clearance needed on a sensitive ticket);
   * assigning is routing, open to every member of staff (to a cleared assignee only).
   */
  async update(actor: AuthUser, ticketId: string, change: TicketChange): Promise<TicketView> {
    const staff = isStaff(actor);
    const row = await this.readable(actor, ticketId);
    if (!staff && (change.severity !== undefined || change.assigneeId !== undefined))
      throw forbidden('staff_only', 'Only staff may re-classify or assign a ticket.');
    if (!staff && change.status !== undefined && !['resolved', 'closed'].includes(change.status))
      throw forbidden('staff_only', 'A customer may only resolve or close a ticket.');
    if (change.severity !== undefined || change.status !== undefined)
      TicketAccess.assertMayWork(actor, row);
    if (change.assigneeId) {
      const assignee = await this.identity.getUser(change.assigneeId).catch(() => null);
      if (!assignee || !isStaff(assignee))
        throw invalid(
          'assignee_not_staff',
          `assigneeId ${change.assigneeId} is not a member of staff.`,
        );
      if (row.sensitive && !assignee.securityClearance)
        throw invalid(
          'assignee_not_cleared',
          'This ticket involves OFFICIAL-SENSITIVE data: it can only be assigned to staff with security clearance.',
        );
    }
    // Read outside the transaction: a pooled query inside one could wait on the pool it holds.
    const policy =
      change.severity !== undefined || change.status !== undefined
        ? await this.policies.getPolicy(row.policy_id)
        : null;
    let work: ClockWork = { schedule: [], unschedule: [] };
    // The ticket row first, then its targets (as the alarm worker does); a deadlock is run again.
    await transactionWithRetry(
      this.repo.db,
      async (m) => {
        const cur = (await this.repo.findRow(ticketId, m, true))!;
        const at = Date.now();
        const triggers: ClockTrigger[] = [];
        let rules;
        if (change.severity !== undefined && change.severity !== cur.severity) {
          rules = ticketRules(policy!.document, { ...cur, severity: change.severity });
          triggers.push({ type: 'retarget', at, rules });
          await m.query(`UPDATE tickets SET severity = $2, updated_at = now() WHERE id = $1`, [
            cur.id,
            change.severity,
          ]);
          await this.repo.addHistory(
            m,
            cur.id,
            actor.id,
            'severity',
            cur.severity,
            change.severity,
            change.reason,
          );
        }
        if (change.status !== undefined && change.status !== cur.status) {
          triggers.push({ type: 'status', from: cur.status, to: change.status, at });
          await m.query(
            `UPDATE tickets SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE NULL END, updated_at = now() WHERE id = $1`,
            [ticketId, change.status],
          );
          await this.repo.addHistory(
            m,
            ticketId,
            actor.id,
            'status',
            cur.status,
            change.status,
            change.reason,
          );
        }
        if (triggers.length)
          work = await this.clocks.apply(
            m,
            cur,
            policy!.document,
            triggers,
            actor.id,
            undefined,
            rules,
          );
        if (change.assigneeId !== undefined && change.assigneeId !== cur.assignee_id) {
          await m.query(`UPDATE tickets SET assignee_id = $2, updated_at = now() WHERE id = $1`, [
            ticketId,
            change.assigneeId,
          ]);
          await this.repo.addHistory(
            m,
            ticketId,
            actor.id,
            'assignee',
            cur.assignee_id,
            change.assigneeId,
            change.reason,
          );
        }
      },
      { what: `changing ticket ${ticketId}` },
    );
    await this.timers.unschedule(work.unschedule);
    await this.timers.schedule(work.schedule);
    return this.get(actor, ticketId, { audit: false });
  }

  /** Moves a ticket to another support level (by hand or by a breach); null actor = the system. */
  async changeSupportLevel(
    actor: AuthUser | null,
    ticketId: string,
    toLevel: number,
    reason: string,
    m?: EntityManager,
  ): Promise<{ from: number; to: number; changed: boolean }> {
    if (actor) {
      TicketAccess.assertMayRoute(actor);
      await this.readable(actor, ticketId);
    }
    const run = async (tx: EntityManager) => {
      const cur = await this.repo.findRow(ticketId, tx, true);
      if (!cur) throw notFound('ticket_not_found', `No ticket ${ticketId}.`);
      if (cur.support_level === toLevel)
        return { from: cur.support_level, to: toLevel, changed: false };
      await tx.query(`UPDATE tickets SET support_level = $2, updated_at = now() WHERE id = $1`, [
        ticketId,
        toLevel,
      ]);
      await this.repo.addHistory(
        tx,
        ticketId,
        actor?.id ?? null,
        'supportLevel',
        cur.support_level,
        toLevel,
        reason,
      );
      return { from: cur.support_level, to: toLevel, changed: true };
    };
    return m ? run(m) : transactionWithRetry(this.repo.db, run, { what: `escalating ${ticketId}` });
  }

  /** The ticket row if `viewer` may find it (TicketAccess.mayFind); else a 404 that says so. */
  async readable(viewer: AuthUser, id: string): Promise<TicketRow> {
    const row = await this.repo.findRow(id);
    if (!row || !TicketAccess.mayFind(viewer, scopeOf(row)))
      throw notFound('ticket_not_found', `No ticket ${id} that you may see.`);
    annotateLog({ ticket: reference(row.number) });
    return row;
  }

  /** TicketAccess.maySeeContent, kept for callers written before the rule had its own home. */
  canSeeContent(viewer: AuthUser, row: Pick<TicketRow, 'sensitive'>): boolean {
    return TicketAccess.maySeeContent(viewer, row);
  }

  /** A ticket as staff without clearance see it: that it exists, its times, not its content. */
  restrict(view: TicketView): TicketView {
    return {
      ...view,
      subject: RESTRICTED_TEXT,
      description: RESTRICTED_TEXT,
      restricted: true,
      messages: view.messages ? [] : undefined,
      history: view.history?.map((h) => ({
        ...h,
        reason: h.reason === null ? null : RESTRICTED_TEXT,
      })),
    };
  }
}
