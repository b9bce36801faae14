import { AppConfig } from '@app/config';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { acknowledgementText, refusalText } from './acknowledgement';
import { readBounce } from './bounce';
import { DeskTicket, DeskUser, MAIL_DESK, MailDesk } from './desk.port';
import { InboundMailRepository, InboundMailRow } from './inbound-mail.repository';
import { MailConfig } from './mail.config';
import { OutboundMailer } from './outbound-mailer.service';
import { parseMail, ParsedInbound } from './parse';
import { withoutQuotedTail } from './quotes';
import { classifySender } from './robots';
import { isPlainAddress, singleRecipient } from './safe-headers';
import { severityTag, threadingKeys, ticketTitle } from './threading';

export type FilingOutcome =
  | {
      status: 'filed';
      ticketId: string;
      action: 'reply' | 'new-ticket' | 'linked-ticket';
      acknowledged: boolean;
    }
  | {
      status: 'ignored' | 'review';
      reason: string;
      /** The ticket the mail is about when we know it (a bounce of our mail): its access rule applies. */
      ticketId?: string;
    };

const STAFF = ['agent', 'manager', 'admin'];

/**
 * The filing rules of the e-mail channel (issue 4 §3–§6), applied to one stored raw mail.
 * Robots never open tickets or get answers; bounces mark our outgoing mail; a reply joins its
 * ticket when its sender belongs there, else opens a linked ticket; new senders become customers
 * of the organisation that owns their domain, or go to triage (or get a polite refusal).
 */
@Injectable()
export class FilingService {
  private readonly logger = new Logger(FilingService.name);

  constructor(
    private readonly repo: InboundMailRepository,
    private readonly config: MailConfig,
    private readonly outbound: OutboundMailer,
    private readonly appConfig: AppConfig,
    @Inject(MAIL_DESK) private readonly desk: MailDesk,
  ) {}

  /** Our own sending and receiving addresses: mail from them is a loop, never a request. */
  private ours(address: string): boolean {
    const a = address.toLowerCase();
    if (a === this.appConfig.MAIL_FROM.toLowerCase()) return true;
    const [local, domain] = [a.slice(0, a.lastIndexOf('@')), a.slice(a.lastIndexOf('@') + 1)];
    return this.config.acceptedRecipients.some((r) => {
      const [l, d] = r.split('@');
      return d === domain && (local === l || local.startsWith(`${l}+`));
    });
  }

  /** Files the mail unless it was filed already; `force` re-files a mail from the review list. */
  async file(id: string, force = false): Promise<FilingOutcome> {
    const row = await this.repo.get(id);
    if (!row) throw new UnrecoverableError(`inbound mail ${id} does not exist`);
    if (!force && row.status !== 'received')
      return row.status === 'filed'
        ? { status: 'filed', ticketId: row.ticket_id ?? '', action: 'reply', acknowledged: false }
        : { status: row.status as 'ignored' | 'review', reason: row.reason ?? '' };
    if (row.too_large)
      return this.conclude(row, {
        status: 'review',
        reason: `over the size limit (${row.size} bytes > ${this.config.MAIL_MAX_MESSAGE_BYTES})`,
      });

    let mail: ParsedInbound;
    try {
      mail = await parseMail(row.raw, {
        maxMessageBytes: this.config.MAIL_MAX_MESSAGE_BYTES,
        maxAttachmentBytes: this.config.MAIL_MAX_ATTACHMENT_BYTES,
      });
    } catch (err) {
      return this.conclude(row, {
        status: 'review',
        reason: `could not be parsed: ${(err as Error).message}`,
      });
    }
    if (row.envelope_from === '')
      mail.headers.set('return-path', ['<>', ...(mail.headers.get('return-path') ?? [])]);
    mail.classification = classifySender(mail.headers);
    const described = {
      senderKind: mail.classification.kind,
      messageId: mail.messageId,
      from: mail.from.map((f) => f.address).join(', ') || null,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    };
    const kind = mail.classification.kind;
    let outcome: FilingOutcome;
    if (kind === 'bounce') outcome = await this.bounce(row);
    else if (mail.messageId && (await this.repo.outgoingByMessageIds([mail.messageId])).length)
      outcome = {
        status: 'ignored',
        reason: `our own mail ${mail.messageId} came back (a mail loop); nothing answered`,
      };
    else if (kind !== 'person')
      outcome = { status: 'ignored', reason: `${kind}: ${mail.classification.reasons.join('; ')}` };
    else outcome = await this.fromPerson(row, mail, force);
    return this.conclude(row, outcome, described);
  }

  private async conclude(
    row: InboundMailRow,
    outcome: FilingOutcome,
    described: Parameters<InboundMailRepository['conclude']>[4] = null,
  ): Promise<FilingOutcome> {
    if (outcome.status === 'filed')
      await this.repo.conclude(row.id, 'filed', outcome.action, outcome.ticketId, described);
    else
      await this.repo.conclude(
        row.id,
        outcome.status,
        outcome.reason,
        outcome.ticketId ?? null,
        described,
      );
    return outcome;
  }

  /**
   * A delivery report counts only for the mails of ours it names (by Message-ID) and only for their
   * recipients: a bounce about a mail we never sent, or naming someone we did not send it to,
   * marks nobody (anyone can write a bounce; only we and the recipient know our Message-IDs).
   */
  private async bounce(row: InboundMailRow): Promise<FilingOutcome> {
    const report = readBounce(row.raw);
    const named = await this.repo.outgoingByMessageIds(report.originalMessageIds);
    const ours = named.filter(
      (o) =>
        !report.recipients.length ||
        (o.recipient !== null && report.recipients.includes(o.recipient.toLowerCase())),
    );
    const detail = `${report.action}${report.status ? ` ${report.status}` : ''}`;
    if (report.action === 'failed' || report.action === 'delayed') {
      for (const mail of ours) {
        await this.repo.markOutgoing(mail.messageId, report.action, detail);
        if (report.action === 'failed')
          await this.outbound.markBounced(mail.messageId, `bounced: ${detail}`);
      }
    }
    if (report.action === 'failed') {
      const recipients = new Set(ours.map((o) => o.recipient?.toLowerCase() ?? ''));
      recipients.delete('');
      for (const r of recipients) await this.repo.markBouncing(r, report.status, new Date());
    }
    const which = ours.length
      ? `our mail ${ours.map((o) => o.messageId).join(', ')}`
      : named.length
        ? `our mail ${named.map((o) => o.messageId).join(', ')}, sent to someone else: nobody marked`
        : 'no mail of ours we know: nobody marked';
    return {
      status: 'ignored',
      reason: `bounce (${detail}) for ${report.recipients.join(', ') || 'unknown recipient'}; refers to ${which}`,
      // The bounce quotes our mail: it is as restricted as that mail's ticket.
      ticketId: named[0]?.ticketId,
    };
  }

  private async fromPerson(
    row: InboundMailRow,
    mail: ParsedInbound,
    refiling: boolean,
  ): Promise<FilingOutcome> {
    if (!mail.from.length && row.envelope_from)
      mail.from = [{ address: row.envelope_from, name: '' }];
    if (!mail.from.length)
      return {
        status: 'review',
        reason: 'no sender address (no From, no envelope sender); a person must file this by hand',
      };
    if (mail.from.length > 1)
      return {
        status: 'review',
        reason: `From holds ${mail.from.length} addresses; a person must file this by hand`,
      };
    if (!isPlainAddress(mail.from[0].address))
      return {
        status: 'review',
        reason: `From is not a plain address we could answer: ${mail.from[0].address}`,
      };
    const senderAddress = singleRecipient(mail.from[0].address);
    if (this.ours(senderAddress))
      return {
        status: 'ignored',
        reason: `sent from our own address ${senderAddress} (a mail loop); nothing answered`,
      };
    const senderName = mail.from[0].name || senderAddress.split('@')[0];
    const recipients = [
      ...row.envelope_to,
      ...mail.to.map((a) => a.address),
      ...mail.cc.map((a) => a.address),
    ];
    const keys = threadingKeys(
      mail.headers,
      mail.subject,
      recipients,
      this.config.supportLocalParts,
    );
    const receivedAt = new Date(row.received_at);
    const body = mail.text.trim() || '(empty message)';

    let ticket: DeskTicket | null = null;
    const byMessage = await this.repo.ticketOfMessageIds(keys.repliedMessageIds);
    if (byMessage) ticket = await this.desk.ticketById(byMessage);
    if (!ticket && keys.subjectReference)
      ticket = await this.desk.ticketByReference(keys.subjectReference);
    if (!ticket && keys.addressReference)
      ticket = await this.desk.ticketByReference(keys.addressReference);

    let user = await this.desk.userByEmail(senderAddress);
    if (user && STAFF.includes(user.role)) {
      return {
        status: 'review',
        reason: `sent by staff member ${senderAddress}${ticket ? ` about ${ticket.reference}` : ''}; staff answer in the helpdesk, not by mail`,
      };
    }

    // The ticket's people: its requester and its organisation's customer admins (who see every ticket of
    // theirs). Anyone else, colleague or stranger, does not join it blindly: a linked ticket is opened.
    const participant =
      !!ticket &&
      !!user &&
      (user.id === ticket.requesterId ||
        (user.role === 'customer_admin' && user.organizationId === ticket.organizationId));
    if (ticket && user && participant) {
      const messageId = await this.desk.addCustomerMessage(
        ticket,
        user,
        withoutQuotedTail(body),
        receivedAt,
        `mail:${row.id}`,
      );
      const tag = severityTag(mail.subject);
      if (tag && tag !== ticket.severity)
        await this.desk.requestSeverity(ticket, user, tag, `mail:${row.id}:severity`);
      await this.remember(row, mail, ticket.id, messageId, refiling);
      return { status: 'filed', ticketId: ticket.id, action: 'reply', acknowledged: false };
    }

    if (!user) {
      const org = await this.desk.organizationForEmail(senderAddress);
      if (org) user = await this.desk.createCustomer(senderAddress, senderName, org.id);
      else if (this.config.MAIL_UNKNOWN_SENDER === 'refuse') {
        const refused = await this.refuse(senderAddress, mail);
        return {
          status: 'ignored',
          reason: `unknown sender ${senderAddress}: ${refused ? 'politely refused' : 'refusal not sent (rate limit)'}`,
        };
      } else user = await this.desk.triageRequester(senderAddress, senderName);
    }

    const title = ticketTitle(mail.subject);
    const tag = severityTag(mail.subject);
    const created = await this.desk.openTicket({
      requester: user,
      subject: title,
      description: ticket
        ? `(Written about ${ticket.reference} by ${senderAddress}, who is not one of its organisation's people.)\n\n${body}`
        : body,
      severity: tag,
      receivedAt,
      linkedTo: ticket,
      sourceKey: `mail:${row.id}`,
    });
    await this.remember(row, mail, created.id, null, refiling);
    const acknowledged = await this.acknowledge(created, user, tag !== null, mail);
    return {
      status: 'filed',
      ticketId: created.id,
      action: ticket ? 'linked-ticket' : 'new-ticket',
      acknowledged,
    };
  }

  /** The mail's Message-ID, and every part of it on the ticket: with its message, or the description (null). */
  private async remember(
    row: InboundMailRow,
    mail: ParsedInbound,
    ticketId: string,
    messageId: string | null,
    refiling: boolean,
  ): Promise<void> {
    if (mail.messageId) await this.repo.recordMessageId(mail.messageId, ticketId, 'in', 'customer');
    if (mail.attachments.length || refiling)
      await this.repo.saveAttachments(row.id, ticketId, messageId, mail.attachments, refiling);
  }

  private async acknowledge(
    ticket: DeskTicket,
    requester: DeskUser,
    fromTag: boolean,
    mail: ParsedInbound,
  ): Promise<boolean> {
    if (
      !(await this.repo.takeAcknowledgement(
        requester.email,
        ticket.id,
        new Date(),
        this.config.MAIL_ACKS_PER_SENDER_PER_HOUR,
      ))
    )
      return false;
    const text = acknowledgementText({
      reference: ticket.reference,
      title: ticket.subject,
      severity: ticket.severity,
      severityFromTag: fromTag,
      firstResponseDueAt: ticket.firstResponseDueAt,
      portalUrl: `${this.outbound.portalUrl}/tickets/${ticket.id}`,
    });
    // A new ticket's thread is the customer's mail alone: no need to look it up.
    const thread = mail.messageId ? [mail.messageId] : [];
    await this.outbound.send({
      ticketId: ticket.id,
      to: ticket.requesterEmail,
      ...text,
      kind: 'acknowledgement',
      automatic: true,
      inReplyTo: mail.messageId,
      thread,
    });
    return true;
  }

  private async refuse(sender: string, mail: ParsedInbound): Promise<boolean> {
    if (
      !(await this.repo.takeAcknowledgement(
        sender,
        null,
        new Date(),
        this.config.MAIL_ACKS_PER_SENDER_PER_HOUR,
      ))
    )
      return false;
    await this.outbound.send({
      ticketId: null,
      to: sender,
      ...refusalText(mail.subject),
      kind: 'refusal',
      automatic: true,
      inReplyTo: mail.messageId,
      thread: [],
    });
    return true;
  }
}
