import { AuthUser, CurrentUser, Roles, STAFF_ROLES } from '@app/identity';
import { EscalationDto } from '@app/tickets';
import {
  Body,
  Controller,
  Get,
  MessageEvent,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { concatMap, filter, interval, map, merge, Observable, startWith } from 'rxjs';
import { AlarmFeed } from './alarm-feed';
import { EscalationService } from './escalation.service';

/** Seconds between heartbeat events on the alarm stream (keeps proxies from closing an idle stream). */
export const HEARTBEAT_MS = 15_000;

class AlarmQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'ticketId must be a UUID' })
  ticketId?: string;
}

@ApiTags('tickets')
@ApiBearerAuth()
@Controller()
export class EscalationController {
  constructor(
    private readonly escalation: EscalationService,
    private readonly feed: AlarmFeed,
  ) {}

  /** Move a ticket to another support level, with a reason (kept in its history). */
  @Post('tickets/:id/escalations')
  escalate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EscalationDto,
  ) {
    return this.escalation.escalate(user, id, dto.toLevel, dto.reason);
  }

  /** `[{ticketId, metric, kind, dueAt, firedAt}]`, newest first. */
  @Get('alarms')
  alarms(@CurrentUser() user: AuthUser, @Query() q: AlarmQuery) {
    return this.escalation.alarms(user, q.ticketId);
  }

  /**
   * Server-sent events, staff only: an `alarm` event (data: the alarm as in GET /api/alarms) for each alarm
   * recorded from now on by any worker, and a `heartbeat` event at once and every 15 s.
   */
  @Sse('alarms/stream')
  @Roles(...STAFF_ROLES)
  stream(@CurrentUser() user: AuthUser): Observable<MessageEvent> {
    const alarms = this.feed.alarmIds.pipe(
      concatMap((id) => this.escalation.alarm(user, id)),
      filter((a) => a !== null),
      map((a): MessageEvent => ({ type: 'alarm', id: a.id, data: a })),
    );
    const heartbeats = interval(HEARTBEAT_MS).pipe(
      startWith(-1),
      map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })),
    );
    return merge(alarms, heartbeats);
  }
}
