import { AppConfig } from '@app/config';
import { NotificationsService, OutgoingMail } from '@app/notifications';
import { Injectable } from '@nestjs/common';
import { InboundMailRepository } from './inbound-mail.repository';
import { MailConfig } from './mail.config';
import { safeHeaderText, singleRecipient } from './safe-headers';

/** Headers the mail channel needs on top of the core's OutgoingMail (threading, Reply-To, RFC 3834). */
export type ThreadedMail = OutgoingMail & {
  references?: string[];
  replyTo?: string;
  headers?: Record<string, string>;
};

const bare = (id: string) => id.replace(/^<|>$/g, '');
const angle = (id: string) => `<${bare(id)}>`;

/**
 * Composes every mail the channel sends about a ticket: exactly one recipient (checked), our own
 * Message-ID (made by the notifications queue), In-Reply-To/References to the ticket's thread,
 * Reply-To the support address, and `Auto-Submitted: auto-replied` on automatic mail. The
 * Message-ID is remembered with the ticket so that answers and bounces find their way back.
 */
@Injectable()
export class OutboundMailer {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly repo: InboundMailRepository,
    private readonly config: MailConfig,
    private readonly appConfig: AppConfig,
  ) {}

  /** Message-IDs of the ticket's thread, oldest first (at most the last 20, as mail clients do). */
  async thread(ticketId: string): Promise<string[]> {
    const rows: Array<{ message_id: string }> = await this.repo.db.query(
      `SELECT message_id FROM mail_message_ids WHERE ticket_id = $1 ORDER BY created_at, message_id`,
      [ticketId],
    );
    return rows.map((r) => r.message_id).slice(-20);
  }

  async send(input: {
    ticketId: string | null;
    to: string;
    subject: string;
    body: string;
    kind: string;
    automatic: boolean;
    inReplyTo?: string | null;
    /** The thread's Message-IDs when the caller knows them (else they are looked up). */
    thread?: string[];
  }): Promise<{ id: string; messageId: string }> {
    const to = singleRecipient(input.to);
    const references = (
      input.thread ?? (input.ticketId ? await this.thread(input.ticketId) : [])
    ).map(angle);
    const inReplyTo = input.inReplyTo
      ? angle(input.inReplyTo)
      : (references[references.length - 1] ?? null);
    if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
    const mail: ThreadedMail = {
      to: [to],
      subject: safeHeaderText(input.subject, 200),
      body: input.body,
      kind: input.kind,
      ticketId: input.ticketId,
      inReplyTo,
      references,
      replyTo: this.config.MAIL_SUPPORT_ADDRESS,
      headers: input.automatic
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
        : {},
    };
    const sent = await this.notifications.send(mail);
    if (input.ticketId)
      await this.repo.recordMessageId(bare(sent.messageId), input.ticketId, 'out', input.kind, to);
    return sent;
  }

  /**
   * Tells the notifications context that one of its mails bounced, when it can be told (see
   * NEEDS-FROM-CORE.md §1b); the mail channel's own record is updated by the caller either way.
   */
  async markBounced(messageId: string, detail: string): Promise<void> {
    const n = this.notifications as NotificationsService & {
      markBounced?: (messageId: string, detail: string) => Promise<void>;
    };
    if (typeof n.markBounced === 'function') await n.markBounced(angle(messageId), detail);
  }

  get portalUrl(): string {
    return this.appConfig.PUBLIC_URL;
  }
}
