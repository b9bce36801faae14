import { AuditService } from '@app/audit';
import { invalid, notFound } from '@app/config';
import { AuthUser, IdentityService } from '@app/identity';
import { RESTRICTED_TEXT, TicketAccess, reference } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { strToU8, zipSync } from 'fflate';
import { DataSource, EntityManager } from 'typeorm';
import { ANONYMISED_NAME, anonymisedEmail, REDACTED, scrub } from './redaction';

interface PersonRow {
  id: string;
  email: string;
  name: string;
  role: string;
  organization_id: string | null;
  active: boolean;
  created_at: Date;
}

export interface PersonExport {
  exportedAt: string;
  profile: Record<string, unknown>;
  tickets: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  mails: Record<string, unknown>[];
  attachments: {
    id: string;
    filename: string;
    size: number;
    ticketId: string | null;
    file: string | null;
  }[];
  auditEntries: Record<string, unknown>[];
}

export interface AnonymisationResult {
  userId: string;
  anonymisedAt: string;
  counts: Record<string, number>;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'file';

/** Files that are the person's: uploaded by them, on their messages, or in mail from them. */
const THEIR_FILES = `
  SELECT a.id, a.filename, a.size, a.ticket_id, a.content, t.sensitive
    FROM inbound_attachments a
    LEFT JOIN tickets t ON t.id = a.ticket_id
    LEFT JOIN ticket_messages m ON m.id = a.message_id
    LEFT JOIN inbound_mails im ON im.id = a.inbound_mail_id
   WHERE a.uploaded_by = $1 OR m.author_id = $1 OR lower(im.from_address) = lower($2)`;

/**
 * One person's data: the export (their profile, the tickets they raised with the conversation, the
 * messages and mails they wrote, their files, the audit entries about them) and the anonymisation
 * (name, e-mail and the free text they wrote replaced, their name scrubbed from others' texts on
 * their tickets, their files deleted, sessions ended; ids, times, severities, targets and outcomes
 * kept, so every report gives the same figures). Both are audited.
 */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly identity: IdentityService,
  ) {}

  private async person(id: string, m: EntityManager | DataSource = this.db): Promise<PersonRow> {
    const [p] = await m.query(
      `SELECT id, email, name, role, organization_id, active, created_at FROM users WHERE id = $1`,
      [id],
    );
    if (!p) throw notFound('user_not_found', `No user ${id}.`);
    return p;
  }

  /** The JSON document; with `files`, the attachments' contents too (for the ZIP). */
  async exportOf(
    viewer: AuthUser,
    userId: string,
    files = false,
  ): Promise<{ doc: PersonExport; contents: Map<string, Uint8Array> }> {
    const p = await this.person(userId);
    const q = (sql: string, args: unknown[] = [userId]) => this.db.query(sql, args);
    const tickets = await q(
      `SELECT id, number, subject, description, severity, status, channel, sensitive, received_at, closed_at, created_at
         FROM tickets WHERE requester_id = $1 ORDER BY number`,
    );
    const ticketIds = tickets.map((t: { id: string }) => t.id);
    const conversation = ticketIds.length
      ? await q(
          `SELECT m.id, m.ticket_id, m.author_id, m.body, m.visibility, m.channel, m.created_at
             FROM ticket_messages m WHERE m.ticket_id = ANY($1) AND m.visibility = 'public'
            ORDER BY m.created_at, m.seq`,
          [ticketIds],
        )
      : [];
    const targets = ticketIds.length
      ? await q(
          `SELECT ticket_id, metric, target_seconds, started_at, due_at, state, stopped_at
             FROM ticket_targets WHERE ticket_id = ANY($1)`,
          [ticketIds],
        )
      : [];
    const sensitive = new Map<string, boolean>(
      tickets.map((t: { id: string; sensitive: boolean }) => [t.id, t.sensitive]),
    );
    const text = (ticketId: string, value: string) =>
      TicketAccess.content(viewer, { sensitive: sensitive.get(ticketId) ?? false }, value);
    const written = await q(
      `SELECT m.id, m.ticket_id, m.body, m.visibility, m.channel, m.created_at, t.number, t.sensitive
         FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE m.author_id = $1 ORDER BY m.created_at`,
    );
    const mails = await q(
      `SELECT m.id, m.received_at, m.subject, m.text_body, m.ticket_id, t.sensitive
         FROM inbound_mails m LEFT JOIN tickets t ON t.id = m.ticket_id
        WHERE lower(m.from_address) = lower($1) ORDER BY m.received_at`,
      [p.email],
    );
    const fileRows = await q(THEIR_FILES, [userId, p.email]);
    const auditEntries = await q(
      `SELECT id, at, actor_id, actor_role, client_address, action, object_type, object_id, ticket_id, details
         FROM audit_log WHERE actor_id = $1 OR (object_type = 'user' AND object_id = $1::text)
        ORDER BY id`,
    );
    const contents = new Map<string, Uint8Array>();
    const attachments = fileRows.map(
      (a: {
        id: string;
        filename: string;
        size: number;
        ticket_id: string | null;
        content: Buffer | null;
        sensitive: boolean | null;
      }) => {
        const visible = TicketAccess.maySeeContent(viewer, { sensitive: !!a.sensitive });
        const file = visible && a.content ? `attachments/${a.id}-${safeName(a.filename)}` : null;
        if (file && files) contents.set(file, new Uint8Array(a.content!));
        return {
          id: a.id,
          filename: visible ? a.filename : RESTRICTED_TEXT,
          size: a.size,
          ticketId: a.ticket_id,
          file,
        };
      },
    );
    const doc: PersonExport = {
      exportedAt: new Date().toISOString(),
      profile: {
        id: p.id,
        email: p.email,
        name: p.name,
        role: p.role,
        organizationId: p.organization_id,
        active: p.active,
        createdAt: iso(p.created_at),
      },
      tickets: tickets.map(
        (
          t: { id: string; number: string; subject: string; description: string } & Record<
            string,
            never
          >,
        ) => ({
          id: t.id,
          reference: reference(Number(t.number)),
          subject: text(t.id, t.subject),
          description: text(t.id, t.description),
          severity: t.severity,
          status: t.status,
          channel: t.channel,
          sensitive: t.sensitive,
          receivedAt: iso(t.received_at),
          closedAt: iso(t.closed_at),
          targets: targets
            .filter((x: { ticket_id: string }) => x.ticket_id === t.id)
            .map((x: Record<string, unknown>) => ({
              metric: x.metric,
              targetSeconds: x.target_seconds,
              startedAt: iso(x.started_at as Date),
              dueAt: iso(x.due_at as Date),
              state: x.state,
              stoppedAt: iso(x.stopped_at as Date),
            })),
          conversation: conversation
            .filter((m: { ticket_id: string }) => m.ticket_id === t.id)
            .map(
              (m: {
                id: string;
                author_id: string | null;
                body: string;
                channel: string;
                created_at: Date;
              }) => ({
                id: m.id,
                byThisPerson: m.author_id === p.id,
                body: text(t.id, m.body),
                channel: m.channel,
                at: iso(m.created_at),
              }),
            ),
        }),
      ),
      messages: written.map(
        (m: {
          id: string;
          ticket_id: string;
          number: string;
          body: string;
          visibility: string;
          channel: string;
          created_at: Date;
          sensitive: boolean;
        }) => ({
          id: m.id,
          ticketId: m.ticket_id,
          ticketReference: reference(Number(m.number)),
          body: TicketAccess.content(viewer, m, m.body),
          visibility: m.visibility,
          channel: m.channel,
          at: iso(m.created_at),
        }),
      ),
      mails: mails.map(
        (m: {
          id: string;
          received_at: Date;
          subject: string | null;
          text_body: string | null;
          ticket_id: string | null;
          sensitive: boolean | null;
        }) => ({
          id: m.id,
          receivedAt: iso(m.received_at),
          subject: TicketAccess.content(viewer, { sensitive: !!m.sensitive }, m.subject),
          text: TicketAccess.content(viewer, { sensitive: !!m.sensitive }, m.text_body),
          ticketId: m.ticket_id,
        }),
      ),
      attachments,
      auditEntries: auditEntries.map((e: Record<string, unknown>) => ({
        id: String(e.id),
        at: iso(e.at as Date),
        actorId: e.actor_id,
        actorRole: e.actor_role,
        clientAddress: e.client_address,
        action: e.action,
        objectType: e.object_type,
        objectId: e.object_id,
        ticketId: e.ticket_id,
        details: e.details,
      })),
    };
    await this.audit.log({
      action: files ? 'person.export.zip' : 'person.export',
      object: { type: 'user', id: p.id },
      organizationId: p.organization_id,
      details: {
        tickets: doc.tickets.length,
        messages: doc.messages.length,
        attachments: attachments.length,
      },
    });
    return { doc, contents };
  }

  /** `person.json` and the files under `attachments/`, as a ZIP. */
  async exportZip(viewer: AuthUser, userId: string): Promise<Uint8Array> {
    const { doc, contents } = await this.exportOf(viewer, userId, true);
    return zipSync({
      'person.json': strToU8(JSON.stringify(doc, null, 2)),
      ...Object.fromEntries(contents),
    });
  }

  /**
   * Anonymises a person in one transaction. `confirm` must be their e-mail address (a safeguard
   * against the wrong id). Staff, and the last admin, cannot be anonymised here.
   */
  async anonymise(actor: AuthUser, userId: string, confirm: string): Promise<AnonymisationResult> {
    const result = await this.db.transaction(async (m) => {
      const p = await this.person(userId, m);
      if (p.email.startsWith('anonymised-') && p.email.endsWith('@anonymised.invalid'))
        throw invalid('already_anonymised', 'This person is already anonymised.');
      if (confirm.trim().toLowerCase() !== p.email.toLowerCase())
        throw invalid('confirmation_mismatch', "confirm must be the person's e-mail address.");
      if (p.id === actor.id) throw invalid('self_anonymisation', 'You cannot anonymise yourself.');
      const ids = [p.name, p.email];
      const counts: Record<string, number> = {};
      const run = async (name: string, sql: string, args: unknown[]) => {
        const res = await m.query(sql, args);
        counts[name] =
          (counts[name] ?? 0) + (Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0);
        return res;
      };
      // Their files first (they are found through their messages and mails).
      await run(
        'attachments',
        `DELETE FROM inbound_attachments WHERE id IN (SELECT id FROM (${THEIR_FILES}) f)`,
        [p.id, p.email],
      );
      await run(
        'tickets',
        `UPDATE tickets SET subject = $2, description = $2 WHERE requester_id = $1`,
        [p.id, REDACTED],
      );
      await run('messages', `UPDATE ticket_messages SET body = $2 WHERE author_id = $1`, [
        p.id,
        REDACTED,
      ]);
      await run(
        'history',
        `UPDATE ticket_history SET reason = $2 WHERE actor_id = $1 AND reason IS NOT NULL`,
        [p.id, REDACTED],
      );
      await run(
        'mails',
        `UPDATE inbound_mails SET raw = ''::bytea, size = 0, subject = $2, text_body = $2, html_body = NULL,
                from_address = $3, envelope_from = $3, message_id = NULL
          WHERE lower(from_address) = lower($1) OR lower(envelope_from) = lower($1)`,
        [p.email, REDACTED, anonymisedEmail(p.id)],
      );
      // Others' texts on their tickets and mail to them: their name and address scrubbed.
      const others: { id: string; body: string }[] = await m.query(
        `SELECT m.id, m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
          WHERE t.requester_id = $1 AND m.author_id IS DISTINCT FROM $1`,
        [p.id],
      );
      for (const o of others) {
        const body = scrub(o.body, ids);
        if (body !== o.body)
          await run('scrubbed', `UPDATE ticket_messages SET body = $2 WHERE id = $1`, [o.id, body]);
      }
      const outbound: { id: string; subject: string; body: string; to_addresses: string[] }[] =
        await m.query(
          `SELECT id, subject, body, to_addresses FROM outbound_mails WHERE lower($1) = ANY(SELECT lower(x) FROM unnest(to_addresses) x)`,
          [p.email],
        );
      for (const o of outbound)
        await run(
          'outboundMails',
          `UPDATE outbound_mails SET subject = $2, body = $3, to_addresses = $4 WHERE id = $1`,
          [
            o.id,
            scrub(o.subject, ids),
            REDACTED,
            o.to_addresses.map((a) =>
              a.toLowerCase() === p.email.toLowerCase() ? anonymisedEmail(p.id) : a,
            ),
          ],
        );
      await m.query(`DELETE FROM mail_recipients WHERE lower(address) = lower($1)`, [p.email]);
      await m.query(
        `UPDATE mail_acknowledgements SET sender = $2 WHERE lower(sender) = lower($1)`,
        [p.email, anonymisedEmail(p.id)],
      );
      await m.query(
        `UPDATE mail_message_ids SET recipient = $2 WHERE lower(recipient) = lower($1)`,
        [p.email, anonymisedEmail(p.id)],
      );
      await m.query(`DELETE FROM login_throttle WHERE key = lower($1)`, [p.email]);
      await run('sessions', `DELETE FROM sessions WHERE user_id = $1`, [p.id]);
      // Their second factor goes too: secret, recovery codes and pending sign-ins.
      await m.query(`DELETE FROM login_challenges WHERE user_id = $1`, [p.id]);
      await m.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [p.id]);
      await m.query(`DELETE FROM two_factor WHERE user_id = $1`, [p.id]);
      await m.query(
        `UPDATE users SET name = $2, email = $3, password_hash = NULL, active = false WHERE id = $1`,
        [p.id, ANONYMISED_NAME, anonymisedEmail(p.id)],
      );
      return { p, counts };
    });
    // Through identity too: it ends the sessions everywhere and forgets its cached users.
    await this.identity.updateUser(userId, { active: false });
    const anonymisedAt = new Date().toISOString();
    await this.audit.log({
      action: 'person.anonymise',
      object: { type: 'user', id: userId },
      organizationId: result.p.organization_id,
      details: { counts: result.counts },
    });
    return { userId, anonymisedAt, counts: result.counts };
  }
}
