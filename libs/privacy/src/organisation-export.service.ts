import { AuditService } from '@app/audit';
import { notFound } from '@app/config';
import { AuthUser } from '@app/identity';
import { RESTRICTED_TEXT, TicketAccess, reference } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { strToU8, zipSync } from 'fflate';
import { DataSource } from 'typeorm';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'file';

/**
 * The data of one organisation before its deletion, as a ZIP: `organisation.json` (the organisation,
 * its users, its tickets with the public conversation and targets) and the tickets' public files.
 * OFFICIAL-SENSITIVE content only for cleared admins. Audited.
 */
@Injectable()
export class OrganisationExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async zip(viewer: AuthUser, organizationId: string): Promise<Uint8Array> {
    const [org] = await this.db.query(
      `SELECT id, name, email_domains, to_char(contract_ends_on, 'YYYY-MM-DD') AS contract_ends_on, created_at
         FROM organizations WHERE id = $1`,
      [organizationId],
    );
    if (!org) throw notFound('organization_not_found', `No organisation ${organizationId}.`);
    const users = await this.db.query(
      `SELECT id, email, name, role, active, created_at FROM users WHERE organization_id = $1 ORDER BY email`,
      [organizationId],
    );
    const tickets = await this.db.query(
      `SELECT id, number, subject, description, severity, status, channel, sensitive, requester_id, received_at, closed_at
         FROM tickets WHERE organization_id = $1 ORDER BY number`,
      [organizationId],
    );
    const ids = tickets.map((t: { id: string }) => t.id);
    const messages = await this.db.query(
      `SELECT ticket_id, author_id, body, channel, created_at FROM ticket_messages
        WHERE ticket_id = ANY($1) AND visibility = 'public' ORDER BY created_at, seq`,
      [ids],
    );
    const targets = await this.db.query(
      `SELECT ticket_id, metric, target_seconds, started_at, due_at, state, stopped_at
         FROM ticket_targets WHERE ticket_id = ANY($1)`,
      [ids],
    );
    const files = await this.db.query(
      `SELECT a.id, a.ticket_id, a.filename, a.size, a.content FROM inbound_attachments a
         LEFT JOIN ticket_messages m ON m.id = a.message_id
        WHERE a.ticket_id = ANY($1) AND (m.id IS NULL OR m.visibility = 'public')`,
      [ids],
    );
    const byTicket = new Map<string, { sensitive: boolean }>(
      tickets.map((t: { id: string; sensitive: boolean }) => [t.id, t]),
    );
    const visible = (ticketId: string) =>
      TicketAccess.maySeeContent(viewer, byTicket.get(ticketId) ?? { sensitive: true });
    const entries: Record<string, Uint8Array> = {};
    const fileList = files.map(
      (a: {
        id: string;
        ticket_id: string;
        filename: string;
        size: number;
        content: Buffer | null;
      }) => {
        const ok = visible(a.ticket_id) && a.content;
        const file = ok ? `attachments/${a.id}-${safeName(a.filename)}` : null;
        if (file) entries[file] = new Uint8Array(a.content!);
        return {
          id: a.id,
          ticketId: a.ticket_id,
          filename: visible(a.ticket_id) ? a.filename : RESTRICTED_TEXT,
          size: a.size,
          file,
        };
      },
    );
    const doc = {
      exportedAt: new Date().toISOString(),
      organization: {
        id: org.id,
        name: org.name,
        emailDomains: org.email_domains,
        contractEndsOn: org.contract_ends_on,
        createdAt: iso(org.created_at),
      },
      users: users.map((u: Record<string, unknown>) => ({
        ...u,
        created_at: undefined,
        createdAt: iso(u.created_at as Date),
      })),
      tickets: tickets.map((t: Record<string, unknown> & { id: string; number: string }) => {
        const text = (v: unknown) => (visible(t.id) ? v : RESTRICTED_TEXT);
        return {
          id: t.id,
          reference: reference(Number(t.number)),
          subject: text(t.subject),
          description: text(t.description),
          severity: t.severity,
          status: t.status,
          channel: t.channel,
          sensitive: t.sensitive,
          requesterId: t.requester_id,
          receivedAt: iso(t.received_at as Date),
          closedAt: iso(t.closed_at as Date),
          targets: targets
            .filter((x: { ticket_id: string }) => x.ticket_id === t.id)
            .map((x: Record<string, unknown>) => ({
              metric: x.metric,
              targetSeconds: x.target_seconds,
              dueAt: iso(x.due_at as Date),
              state: x.state,
            })),
          conversation: messages
            .filter((m: { ticket_id: string }) => m.ticket_id === t.id)
            .map((m: Record<string, unknown>) => ({
              authorId: m.author_id,
              body: text(m.body),
              channel: m.channel,
              at: iso(m.created_at as Date),
            })),
        };
      }),
      attachments: fileList,
    };
    entries['organisation.json'] = strToU8(JSON.stringify(doc, null, 2));
    await this.audit.log({
      action: 'organization.export',
      object: { type: 'organization', id: organizationId },
      organizationId,
      details: { tickets: tickets.length, users: users.length, attachments: fileList.length },
    });
    return zipSync(entries);
  }
}
