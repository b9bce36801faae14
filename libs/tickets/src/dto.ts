import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { TICKET_KINDS, type TicketKind } from '@app/sla';
import {
  FORM_CHANNELS,
  LIMITS,
  STATUSES,
  VISIBILITIES,
  type Channel,
  type TicketStatus,
  type Visibility,
} from './ticket.types';

const SEVERITY_MSG = { message: 'severity must be 1, 2 or 3' };
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class CreateTicketDto {
  @ApiProperty({ maxLength: LIMITS.subject })
  @IsString()
  @IsNotEmpty({ message: 'subject must not be empty' })
  @MaxLength(LIMITS.subject, { message: `subject must be at most ${LIMITS.subject} characters` })
  subject: string;

  @ApiProperty({ maxLength: LIMITS.description })
  @IsString()
  @MaxLength(LIMITS.description, {
    message: `description must be at most ${LIMITS.description} characters`,
  })
  description: string;

  @ApiProperty({
    enum: [1, 2, 3],
    description: 'See GET /api/severities for what each level means.',
  })
  @IsInt(SEVERITY_MSG)
  @Min(1, SEVERITY_MSG)
  @Max(3, SEVERITY_MSG)
  severity: number;

  @ApiPropertyOptional({
    description:
      'The problem involves OFFICIAL-SENSITIVE data: only cleared staff may see or work on it.',
  })
  @IsOptional()
  @IsBoolean()
  sensitive?: boolean;

  @ApiPropertyOptional({
    description:
      'Staff only: when the request was received (e.g. the phone call), ISO 8601 with zone. Default: now.',
    example: '2024-03-12T10:15:00Z',
  })
  @IsOptional()
  @IsString()
  receivedAt?: string;

  @ApiPropertyOptional({
    enum: FORM_CHANNELS,
    description:
      'How the request came in. Customers: web (default) or api; staff: also phone (their default) or email. A chat is opened with POST /api/chats.',
  })
  @IsOptional()
  @IsIn(FORM_CHANNELS as unknown as string[], {
    message: `channel must be one of ${FORM_CHANNELS.join(', ')} (a chat is opened with POST /api/chats)`,
  })
  channel?: Channel;

  @ApiPropertyOptional({
    enum: TICKET_KINDS,
    description:
      'What the request is (default standard): data_protection_request (a person asks about their data: resolved within one month, calendar time) or security_incident (the customer is told within 24 hours, calendar time), besides the policy’s targets. Customers may file standard or data_protection_request; staff any kind.',
  })
  @IsOptional()
  @IsIn(TICKET_KINDS as unknown as string[], {
    message: `kind must be one of ${TICKET_KINDS.join(', ')}`,
  })
  kind?: TicketKind;

  @ApiPropertyOptional({ description: 'Staff only: the customer the ticket is for.' })
  @IsOptional()
  @IsEmail({}, { message: 'requesterEmail must be an e-mail address' })
  @MaxLength(320)
  requesterEmail?: string;

  @ApiPropertyOptional({
    description:
      'Staff only: the customer organisation (needed when the requester is not known yet).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;
}

export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: [1, 2, 3] })
  @IsOptional()
  @IsInt(SEVERITY_MSG)
  @Min(1, SEVERITY_MSG)
  @Max(3, SEVERITY_MSG)
  severity?: number;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES as unknown as string[], {
    message: `status must be one of ${STATUSES.join(', ')}`,
  })
  status?: TicketStatus;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null unassigns' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID or null' })
  assigneeId?: string | null;

  @ApiPropertyOptional({ description: 'Why (kept in the history).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class AddMessageDto {
  @ApiPropertyOptional({
    maxLength: LIMITS.body,
    description: 'Required unless files are sent with the message (multipart).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.body, { message: `body must be at most ${LIMITS.body} characters` })
  body?: string;

  @ApiProperty({ enum: VISIBILITIES, description: 'The files sent with the message take it.' })
  @IsIn(VISIBILITIES as unknown as string[], {
    message: 'visibility must be "public" or "internal"',
  })
  visibility: Visibility;
}

/** The fields of a multipart upload besides its files. */
export class UploadFieldsDto {
  @ApiPropertyOptional({
    enum: VISIBILITIES,
    default: 'public',
    description: 'Who sees the files: internal is for staff only (customers may not choose it).',
  })
  @IsOptional()
  @IsIn(VISIBILITIES as unknown as string[], {
    message: 'visibility must be "public" or "internal"',
  })
  visibility?: Visibility;
}

export class ListTicketsQuery {
  @ApiPropertyOptional({ enum: ['unassigned', 'mine', 'breaching'] })
  @IsOptional()
  @IsIn(['unassigned', 'mine', 'breaching'], {
    message: 'view must be unassigned, mine or breaching',
  })
  view?: 'unassigned' | 'mine' | 'breaching';

  @ApiPropertyOptional({
    enum: ['number', 'due'],
    description:
      'number: newest first (default); due: nearest open due time first, tickets without one last (the order of view=breaching)',
  })
  @IsOptional()
  @IsIn(['number', 'due'], { message: 'sort must be number or due' })
  sort?: 'number' | 'due';

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3)
  supportLevel?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toInt)
  @IsInt(SEVERITY_MSG)
  @Min(1, SEVERITY_MSG)
  @Max(3, SEVERITY_MSG)
  severity?: number;
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES as unknown as string[])
  status?: TicketStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ enum: TICKET_KINDS, description: 'Only tickets of this kind.' })
  @IsOptional()
  @IsIn(TICKET_KINDS as unknown as string[], {
    message: `kind must be one of ${TICKET_KINDS.join(', ')}`,
  })
  kind?: TicketKind;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class EscalationDto {
  @ApiProperty({ enum: [1, 2, 3] })
  @IsInt({ message: 'toLevel must be 1, 2 or 3' })
  @Min(1, { message: 'toLevel must be 1, 2 or 3' })
  @Max(3, { message: 'toLevel must be 1, 2 or 3' })
  toLevel: number;

  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(2000)
  reason: string;
}
