import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

const QUARTER = /^\d{4}-Q[1-4]$/;
const quarterMessage = 'quarter must look like 2026-Q4';

export class QuarterlyQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId: string;

  @ApiProperty({
    example: '2026-Q4',
    description: "A calendar quarter, in the zone of the organisation's policy calendar",
  })
  @Matches(QUARTER, { message: quarterMessage })
  quarter: string;
}

export class RevisionsQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId: string;

  @ApiPropertyOptional({ example: '2026-Q4' })
  @IsOptional()
  @Matches(QUARTER, { message: quarterMessage })
  quarter?: string;
}

export class IssueReportDto extends QuarterlyQuery {}

export class RestorationDto {
  @ApiProperty({
    example: '2026-10-10T12:00:00Z',
    description: 'When service was restored (not in the future)',
  })
  @IsString({ message: 'restoredAt must be an ISO 8601 instant' })
  restoredAt: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class IncidentCorrectionDto {
  @ApiPropertyOptional({ description: 'The corrected start (earlier than the receipt, e.g.)' })
  @IsOptional()
  @IsString({ message: 'start must be an ISO 8601 instant' })
  start?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The corrected restoration; null: not restored',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'restoredAt must be an ISO 8601 instant or null' })
  restoredAt?: string | null;

  @ApiProperty({ description: 'Why the end is corrected (kept with the correction)' })
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(500)
  reason: string;
}

export class NewOutageDto {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null or left out: every organisation',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string | null;

  @ApiProperty({ example: '2026-10-10T10:00:00Z' })
  @IsString({ message: 'start must be an ISO 8601 instant' })
  start: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'restoredAt must be an ISO 8601 instant or null' })
  restoredAt?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) summary?: string;
}

export class NewMaintenanceDto {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null or left out: every organisation',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string | null;

  @ApiProperty({ example: '2026-11-14T02:00:00Z', description: 'Start of the announced window' })
  @IsString({ message: 'start must be an ISO 8601 instant' })
  start: string;

  @ApiProperty({ example: '2026-11-14T04:00:00Z', description: 'End of the announced window' })
  @IsString({ message: 'end must be an ISO 8601 instant' })
  end: string;

  @ApiPropertyOptional({ description: 'When it was announced to the customer; default now' })
  @IsOptional()
  @IsString({ message: 'announcedAt must be an ISO 8601 instant' })
  announcedAt?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) summary?: string;
}

export class MaintenanceCorrectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'start must be an ISO 8601 instant' })
  start?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'end must be an ISO 8601 instant' })
  end?: string;
  @ApiPropertyOptional({ description: 'When the work actually began' })
  @IsOptional()
  @IsString({ message: 'actualStart must be an ISO 8601 instant' })
  actualStart?: string;
  @ApiPropertyOptional({ description: 'When the work actually ended (after end: an overrun)' })
  @IsOptional()
  @IsString({ message: 'actualEnd must be an ISO 8601 instant' })
  actualEnd?: string;
  @ApiProperty()
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(500)
  reason: string;
}

export class AvailabilityQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;
}

export class ContractTermsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      '{availabilityGoal: 0.995, operatingTime: calendar document or null (whole month), maintenanceNoticeWorkingDays: 3 or null, maintenanceMonthlyCapMinutes: 480 or null, serviceGoals: [{key: firstContactResolution|qualifiedAnswerMinutes|remediedByNextDay, goal}]}',
  })
  @IsObject({ message: 'terms must be an object' })
  terms: Record<string, unknown>;
}
