import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { NotificationsService } from './notifications.service';

class MailQuery {
  @ApiPropertyOptional({ enum: ['queued', 'sent', 'failed'] })
  @IsOptional()
  @IsIn(['queued', 'sent', 'failed'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ticketId?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/mails')
export class MailsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Outgoing mails, newest first; a failed mail shows its last error. */
  @Roles('admin')
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: MailQuery) {
    return this.notifications.list(user, q);
  }
}
