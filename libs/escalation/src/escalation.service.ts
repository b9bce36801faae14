import { forbidden } from '@app/config';
import { AuthUser, IdentityService, isStaff } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { TicketsService } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AlarmView {
  ticketId: string;
  metric: string;
  kind: 'warning' | 'breach';
  version: number;
  dueAt: string;
  firedAt: string;
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
      const agents = (await this.identity.agentsAtLevel(res.to)).filter((a) => !ticket.sensitive || a.securityClearance);
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
      if (!ticketId) throw forbidden('staff_only', 'Only staff may list all alarms; give ticketId.');
      await this.tickets.readable(viewer, ticketId);
    }
    const rows = await this.db.query(
      `SELECT ticket_id, metric, kind, version, due_at, fired_at FROM alarms WHERE ($1::uuid IS NULL OR ticket_id = $1)
        ORDER BY fired_at DESC, id DESC LIMIT 1000`,
      [ticketId ?? null],
    );
    return rows.map((r: any) => ({
      ticketId: r.ticket_id,
      metric: r.metric,
      kind: r.kind,
      version: r.version,
      dueAt: new Date(r.due_at).toISOString(),
      firedAt: new Date(r.fired_at).toISOString(),
    }));
  }
}
