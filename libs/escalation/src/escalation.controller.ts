import { AuthUser, CurrentUser } from '@app/identity';
import { EscalationDto } from '@app/tickets';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { EscalationService } from './escalation.service';

class AlarmQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'ticketId must be a UUID' }) ticketId?: string;
}

@ApiTags('tickets')
@ApiBearerAuth()
@Controller()
export class EscalationController {
  constructor(private readonly escalation: EscalationService) {}

  /** Move a ticket to another support level, with a reason (kept in its history). */
  @Post('tickets/:id/escalations')
  escalate(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EscalationDto) {
    return this.escalation.escalate(user, id, dto.toLevel, dto.reason);
  }

  /** `[{ticketId, metric, kind, dueAt, firedAt}]`, newest first. */
  @Get('alarms')
  alarms(@CurrentUser() user: AuthUser, @Query() q: AlarmQuery) {
    return this.escalation.alarms(user, q.ticketId);
  }
}
