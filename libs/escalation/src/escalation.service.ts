import { forbidden } from '@app/config';
import { AuthUser, IdentityService, isStaff } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { reference, TicketAccess, TicketsService } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AlarmView {
  id: string;
  ticketId: string;
  /** The ticket's reference (HD-000042) and subject (hidden for OFFICIAL-SENSITIVE tickets from uncleared staff). */
  reference: string;
  subject: string;
  metric: string;
  /** The round of the target (next response: one a customer message). */
  round: number;
  kind: 'warning' | 'breach';
  version: number;
  dueAt: string;
  firedAt: string;
}

const ALARM_SELECT = `SELECT a.id, a.ticket_id, a.metric, a.round, a.kind, a.version, a.due_at, a.fired_at, t.number, t.subject, t.sensitive
  FROM alarms a JOIN tickets t ON t.id = a.ticket_id`;
interface AlarmRow {
  id: string;
  ticket_id: string;
  metric: string;
  round: number;
  kind: 'warning' | 'breach';
  version: number;
  due_at: Date;
  fired_at: Date;
  number: string;
  subject: string;
  sensitive: boolean;
}

/** Support levels (escalate up or back down, by hand with a reason) and the alarms list. */
@Injectable()
export class EscalationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
    private readonly identity: IdentityService,
    private readonly notifications: NotificationsService,
  ) {}

  async escalate(actor: AuthUser, ticketId: string, toLevel: number, reason: string) {
    const res = await this.tickets.changeSupportLevel(actor, ticketId, toLevel, reason);
    const ticket = await this.tickets.get(actor, ticketId, { messages: false, audit: false });
    if (res.changed && res.to > res.from) {
      const agents = (await this.identity.agentsAtLevel(res.to)).filter((a) =>
        TicketAccess.maySeeContent(a, ticket),
      );
      if (agents.length) {
        await this.notifications.send({
          to: agents.map((a) => a.email),
          subject: `[${ticket.reference}] escalated to support level ${res.to}`,
          body: `${actor.name} escalated ticket ${ticket.reference} (${ticket.organizationName}, severity ${ticket.severity}) from level ${res.from} to ${res.to}.\n\nReason: ${reason}`,
          kind: 'escalation',
          ticketId,
        });
      }
    }
    return { ticketId, fromLevel: res.from, toLevel: res.to, changed: res.changed, reason, ticket };
  }

  async alarms(viewer: AuthUser, ticketId?: string): Promise<AlarmView[]> {
    if (!isStaff(viewer)) {
      if (!ticketId)
        throw forbidden('staff_only', 'Only staff may list all alarms; give ticketId.');
      await this.tickets.readable(viewer, ticketId);
    }
    const rows = await this.db.query(
      `${ALARM_SELECT} WHERE ($1::uuid IS NULL OR a.ticket_id = $1) ORDER BY a.fired_at DESC, a.id DESC LIMIT 1000`,
      [ticketId ?? null],
    );
    return rows.map((r: AlarmRow) => this.view(viewer, r));
  }

  /** One alarm by id, as `viewer` may see it (staff only; null when it does not exist). */
  async alarm(viewer: AuthUser, id: string): Promise<AlarmView | null> {
    if (!isStaff(viewer)) return null;
    const [row] = await this.db.query(`${ALARM_SELECT} WHERE a.id = $1`, [id]);
    return row ? this.view(viewer, row) : null;
  }

  private view(viewer: AuthUser, r: AlarmRow): AlarmView {
    return {
      id: String(r.id),
      ticketId: r.ticket_id,
      reference: reference(r.number),
      subject: TicketAccess.content(viewer, r, r.subject),
      metric: r.metric,
      round: r.round,
      kind: r.kind,
      version: r.version,
      dueAt: new Date(r.due_at).toISOString(),
      firedAt: new Date(r.fired_at).toISOString(),
    };
  }
}
