import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ticketSubject } from './acknowledgement';
import { OutboundMailer } from './outbound-mailer.service';

interface Notice {
  key: string;
  ticket_id: string;
  number: string;
  subject: string;
  requester_email: string;
  kind: 'reply' | 'status';
  body: string;
  author_name: string | null;
  /** The names of the files sent with a reply (they stay on the ticket). */
  files: string | null;
}

const reference = (n: string) => `HD-${String(n).padStart(6, '0')}`;

/**
 * Sends the customer, by mail, every public staff reply and the status changes they should know of
 * (resolved, closed). Lines of a live chat are not mailed (the customer was there; the transcript is
 * on the portal); answers to a chat left as a message are, so the customer hears back. Works as an outbox over the tickets' rows: a notice is sent in the same
 * transaction that records it in `mail_ticket_notices`, so each goes out once, and one that failed
 * to queue is tried again on the next sweep (every second).
 */
@Injectable()
export class TicketNotices implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TicketNotices.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbound: OutboundMailer,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweep().catch((e: Error) => this.logger.error(`notice sweep: ${e.message}`)),
      1000,
    );
  }

  /** One sweep; returns how many notices were sent. */
  sweep(): Promise<number> {
    if (!this.running) this.running = this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<number> {
    const due: Notice[] = await this.db.query(
      `SELECT 'message-' || m.id AS key, t.id AS ticket_id, t.number, t.subject, ru.email AS requester_email, 'reply' AS kind, m.body, u.name AS author_name,
              (SELECT string_agg(a.filename, ', ' ORDER BY a.part) FROM inbound_attachments a WHERE a.message_id = m.id) AS files, m.created_at AS at
         FROM ticket_messages m JOIN users u ON u.id = m.author_id JOIN tickets t ON t.id = m.ticket_id JOIN users ru ON ru.id = t.requester_id
        WHERE m.visibility = 'public' AND NOT m.automatic AND u.role IN ('agent','manager','admin') AND m.created_at > now() - interval '7 days'
          AND NOT (m.channel = 'chat' AND EXISTS (SELECT 1 FROM chats c WHERE c.ticket_id = m.ticket_id AND c.mode = 'live'))
          AND NOT EXISTS (SELECT 1 FROM mail_ticket_notices n WHERE n.source_key = 'message-' || m.id)
       UNION ALL
       -- A security incident's customer is told through their principal contact too (licence §3.6).
       SELECT 'principal-message-' || m.id, t.id, t.number, t.subject, pu.email, 'reply', m.body, u.name,
              (SELECT string_agg(a.filename, ', ' ORDER BY a.part) FROM inbound_attachments a WHERE a.message_id = m.id), m.created_at
         FROM ticket_messages m JOIN users u ON u.id = m.author_id JOIN tickets t ON t.id = m.ticket_id
         JOIN organizations o ON o.id = t.organization_id JOIN users pu ON pu.id = o.principal_user_id
        WHERE t.kind = 'security_incident' AND pu.id <> t.requester_id AND pu.active
          AND m.visibility = 'public' AND NOT m.automatic AND u.role IN ('agent','manager','admin') AND m.created_at > now() - interval '7 days'
          AND NOT EXISTS (SELECT 1 FROM mail_ticket_notices n WHERE n.source_key = 'principal-message-' || m.id)
       UNION ALL
       SELECT 'history-' || h.id, t.id, t.number, t.subject, ru.email, 'status', h.new_value #>> '{}', NULL, NULL, h.at
         FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id JOIN users ru ON ru.id = t.requester_id
        WHERE h.field = 'status' AND h.new_value #>> '{}' IN ('resolved','closed') AND h.at > now() - interval '7 days'
          AND NOT EXISTS (SELECT 1 FROM mail_ticket_notices n WHERE n.source_key = 'history-' || h.id)
       ORDER BY at LIMIT 200`,
    );
    let sent = 0;
    for (const n of due) {
      await this.db.transaction(async (m) => {
        const claimed = await m.query(
          `INSERT INTO mail_ticket_notices (source_key, ticket_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING source_key`,
          [n.key, n.ticket_id],
        );
        if (!claimed.length) return;
        const ref = reference(n.number);
        const body =
          n.kind === 'reply'
            ? `${n.body}${n.files ? `\n\nFiles on the ticket: ${n.files}` : ''}\n\n-- \n${n.author_name ?? 'Support'}\nTicket ${ref}. Reply to this mail to answer; keep [${ref}] in the subject.`
            : `Ticket ${ref} is now ${n.body}.\n\nIf the problem is not solved, reply to this mail and we will look at it again.`;
        await this.outbound.send({
          ticketId: n.ticket_id,
          to: n.requester_email,
          subject: ticketSubject(ref, n.subject, 'Re: '),
          body,
          kind: n.kind === 'reply' ? 'reply' : 'status',
          automatic: n.kind !== 'reply',
        });
        sent++;
      });
    }
    return sent;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
