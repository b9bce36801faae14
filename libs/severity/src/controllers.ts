import { Roles } from '@app/identity';
import type { Severity } from '@app/sla';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { parseInstant } from './instant';
import { PoliciesService } from './policies.service';
import { SEVERITY_MEANINGS } from './severities';

class PolicyBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'An SLA policy document: {name, calendar, targets: {"1": [{metric, seconds, clock}], …}, alarms: {warningFraction}, escalateOnBreach}',
  })
  @IsObject()
  document: Record<string, unknown>;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      "Follow this stored calendar: its hours become the policy's, now and whenever the calendar is saved. null: the policy keeps document.calendar as its own. Left out on PUT: as before.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'calendarId must be a UUID or null' })
  calendarId?: string | null;
}

class CalendarBody {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A calendar document: {timeZone, week, holidays?, holidaySets?, overrides?}',
  })
  @IsObject()
  document: Record<string, unknown>;
}
class CalendarPatch {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'A calendar document, as for POST',
  })
  @IsOptional()
  @IsObject()
  document?: Record<string, unknown>;
}
class BankHolidaysImport {
  @ApiProperty({ description: 'The content of GOV.UK bank-holidays.json' })
  @IsObject()
  json: Record<string, unknown>;
  @ApiPropertyOptional({ default: 'england-and-wales' })
  @IsOptional()
  @IsString()
  division?: string;
}
class PreviewBody {
  @ApiProperty({ example: '2024-03-12T10:15:00Z' }) @IsDefined() @IsString() receivedAt: string;
  @ApiProperty({ minimum: 1, maximum: 3 })
  @IsInt({ message: 'severity must be 1, 2 or 3' })
  @Min(1, { message: 'severity must be 1, 2 or 3' })
  @Max(3, { message: 'severity must be 1, 2 or 3' })
  severity: number;
  @ApiProperty() @IsUUID() policyId: string;
}

@ApiTags('sla')
@ApiBearerAuth()
@Controller()
export class SeverityController {
  constructor(private readonly policies: PoliciesService) {}

  /** The meanings shown, word for word, to whoever picks a severity. */
  @Get('severities')
  severities() {
    return SEVERITY_MEANINGS;
  }

  @Roles('admin', 'manager', 'agent')
  @Post('sla/preview')
  @HttpCode(200)
  preview(@Body() body: PreviewBody) {
    return this.policies.preview(
      body.policyId,
      body.severity as Severity,
      parseInstant(body.receivedAt, 'receivedAt', { allowFuture: true }),
    );
  }

  @Roles('admin', 'manager', 'agent')
  @Get('admin/policies')
  listPolicies() {
    return this.policies.listPolicies();
  }

  @Roles('admin', 'manager', 'agent')
  @Get('admin/policies/:id')
  getPolicy(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.getPolicy(id);
  }

  @Roles('admin')
  @Post('admin/policies')
  async createPolicy(@Body() body: PolicyBody) {
    return this.policies.createPolicy(body.document, body.calendarId);
  }

  @Roles('admin')
  @Put('admin/policies/:id')
  async updatePolicy(@Param('id', ParseUUIDPipe) id: string, @Body() body: PolicyBody) {
    return this.policies.updatePolicy(id, body.document, body.calendarId);
  }

  @Roles('admin', 'manager', 'agent')
  @Get('admin/calendars')
  listCalendars() {
    return this.policies.listCalendars();
  }

  @Roles('admin', 'manager', 'agent')
  @Get('admin/calendars/:id')
  getCalendar(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.getCalendar(id);
  }

  @Roles('admin')
  @Post('admin/calendars')
  createCalendar(@Body() body: CalendarBody) {
    return this.policies.createCalendar(body.name, body.document);
  }

  @Roles('admin')
  @Patch('admin/calendars/:id')
  updateCalendar(@Param('id', ParseUUIDPipe) id: string, @Body() body: CalendarPatch) {
    return this.policies.updateCalendar(id, body);
  }

  @Roles('admin')
  @Delete('admin/calendars/:id')
  @HttpCode(204)
  deleteCalendar(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.deleteCalendar(id);
  }

  /** Import GOV.UK `bank-holidays.json`: the division's days become holidays of the calendar. */
  @Roles('admin')
  @Post('admin/calendars/:id/bank-holidays')
  importBankHolidays(@Param('id', ParseUUIDPipe) id: string, @Body() body: BankHolidaysImport) {
    return this.policies.importBankHolidays(id, body.json, body.division ?? 'england-and-wales');
  }
}
