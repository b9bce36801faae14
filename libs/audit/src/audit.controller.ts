import { invalid, notFound } from '@app/config';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { auditCsv, AuditService } from './audit.service';

class AuditQuery {
  @ApiPropertyOptional({ description: 'who did it' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ description: 'an action or its prefix: `ticket.read`, `auth`, `user`' })
  @IsOptional()
  @Matches(/^[\w.-]{1,100}$/, {
    message: 'action must be an action name or its prefix, such as ticket.read or auth',
  })
  action?: string;
  @ApiPropertyOptional({
    description: 'the kind of object: ticket, attachment, user, organization…',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\w-]{1,50}$/, { message: 'objectType must be a word such as ticket or user' })
  objectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() objectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ticketId?: string;
  @ApiPropertyOptional({
    description: 'from this instant (ISO 8601, inclusive)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;
  @ApiPropertyOptional({
    description: 'until this instant (exclusive)',
    example: '2026-12-31T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;
  @ApiPropertyOptional({ description: 'entries older than this id (the next page)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be an entry id' })
  before?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

class AuditExportQuery extends AuditQuery {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}

class AccessesQuery {
  @ApiPropertyOptional({
    description: 'staff only: the organisation (a customer admin always sees their own)',
  })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,18}$/) before?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Roles('admin', 'manager')
  @Get('admin/audit')
  @ApiOperation({
    summary: 'Search the audit log: by actor, action, object, organisation, period (newest first)',
  })
  list(@Query() q: AuditQuery) {
    return this.audit.search(q);
  }

  @Roles('admin')
  @Get('admin/audit/export')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The matching entries as CSV (default) or JSON, up to 10 000 (an audited export)',
  })
  async export(@Query() q: AuditExportQuery, @Res() res: Response) {
    const entries = await this.audit.search({ ...q, limit: q.limit ?? 10_000 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    if (q.format === 'json') {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.json"`);
      res.end(JSON.stringify(entries, null, 2));
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
    res.end(auditCsv(entries));
  }

  @Roles('admin')
  @Get('admin/audit/verify')
  @ApiOperation({
    summary:
      'Checks the hash chain of the whole log: ok, or the first entry that was changed or whose predecessor is missing',
  })
  verify() {
    return this.audit.verify();
  }

  @Roles('agent', 'manager', 'admin')
  @Get('tickets/:id/viewers')
  @ApiOperation({
    summary: 'Staff who have seen this ticket: first and last time, number of visits',
  })
  async viewers(@Param('id', ParseUUIDPipe) id: string) {
    const [t] = await this.db.query(`SELECT 1 FROM tickets WHERE id = $1`, [id]);
    if (!t) throw notFound('ticket_not_found', `No ticket ${id}.`);
    return this.audit.viewersOf(id);
  }

  @Roles('customer_admin', 'manager', 'admin')
  @Get('audit/staff-accesses')
  @ApiOperation({
    summary:
      "Staff reads of an organisation's data (tickets opened, files downloaded, exports); a customer admin sees their own organisation's",
  })
  accesses(@Query() q: AccessesQuery, @CurrentUser() me: AuthUser) {
    const organizationId = me.role === 'customer_admin' ? me.organizationId! : q.organizationId;
    if (!organizationId)
      throw invalid(
        'organization_required',
        'Give organizationId: the organisation whose accesses to list.',
      );
    return this.audit.search({
      organizationId,
      from: q.from,
      to: q.to,
      before: q.before,
      staffReads: true,
    });
  }
}
