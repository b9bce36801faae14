import { LIMITS, VISIBILITIES, type Visibility } from '@app/tickets';
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
import { INBOX_VIEWS, type InboxView } from './chat.types';

const SEVERITY_MSG = { message: 'severity must be 1, 2 or 3' };
const CLIENT_ID = {
  format: 'uuid',
  description:
    'A UUID the client makes for this message and keeps while it retries: the same id is stored once.',
};

export class ChatMessageDto {
  @ApiProperty(CLIENT_ID)
  @IsUUID('all', { message: 'clientMessageId must be a UUID' })
  clientMessageId: string;

  @ApiProperty({ maxLength: LIMITS.body })
  @IsString()
  @IsNotEmpty({ message: 'body must not be empty' })
  @MaxLength(LIMITS.body, { message: `body must be at most ${LIMITS.body} characters` })
  body: string;

  @ApiPropertyOptional({
    enum: VISIBILITIES,
    default: 'public',
    description: 'internal: a note for staff only (staff only).',
  })
  @IsOptional()
  @IsIn(VISIBILITIES as unknown as string[], {
    message: 'visibility must be "public" or "internal"',
  })
  visibility?: Visibility;
}

export class OpenChatDto {
  @ApiProperty(CLIENT_ID)
  @IsUUID('all', { message: 'clientMessageId must be a UUID' })
  clientMessageId: string;

  @ApiProperty({ enum: [1, 2, 3], description: 'See GET /api/severities for what each means.' })
  @IsInt(SEVERITY_MSG)
  @Min(1, SEVERITY_MSG)
  @Max(3, SEVERITY_MSG)
  severity: number;

  @ApiProperty({ maxLength: LIMITS.description, description: 'The first message.' })
  @IsString()
  @IsNotEmpty({ message: 'body must not be empty' })
  @MaxLength(LIMITS.description, {
    message: `body must be at most ${LIMITS.description} characters`,
  })
  body: string;

  @ApiPropertyOptional({
    description: 'The problem involves OFFICIAL-SENSITIVE data: only cleared staff may join.',
  })
  @IsOptional()
  @IsBoolean()
  sensitive?: boolean;
}

export class InboxQuery {
  @ApiPropertyOptional({ enum: INBOX_VIEWS, description: 'Staff: waiting (default) or mine.' })
  @IsOptional()
  @IsIn(INBOX_VIEWS as unknown as string[], { message: 'view must be waiting or mine' })
  view?: InboxView;
}

export class AvailabilityQuery {
  @ApiPropertyOptional({ description: 'For a restricted chat: cleared agents only count.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'sensitive must be true or false' })
  sensitive?: boolean;
}

export class StreamQuery {
  @ApiPropertyOptional({
    description:
      'Resume after this message number (as the Last-Event-ID header does; the header wins).',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'after must be a message number' })
  @Min(0)
  after?: number;
}

export class HandOverDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The agent to hand the chat to; null puts it back among the waiting chats.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'agentId must be a UUID or null' })
  agentId: string | null;

  @ApiPropertyOptional({ description: 'Why (kept in the ticket history).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ChatTokenDto {
  @ApiPropertyOptional({
    description: 'Customer admins: the user of your organisation to sign for (default: yourself).',
  })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email?: string;
}

export class ChatSessionDto {
  @ApiProperty({ description: 'A chat token from POST /api/chats/tokens.' })
  @IsString()
  @IsNotEmpty({ message: 'token must not be empty' })
  @MaxLength(2000)
  token: string;
}
