import { AuthUser, CurrentUser, Public, Roles, STAFF_ROLES } from '@app/identity';
import { invalid } from '@app/config';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ChatStreams } from './chat-streams';
import { ChatService } from './chat.service';
import {
  AvailabilityQuery,
  ChatMessageDto,
  ChatSessionDto,
  ChatTokenDto,
  HandOverDto,
  InboxQuery,
  OpenChatDto,
  StreamQuery,
} from './dto';

/** Last-Event-ID (the browser's resume) or ?after=: the number of the last message the client has. */
function resumeAfter(header: string | undefined, q: StreamQuery): number {
  if (header === undefined || header === '') return q.after ?? 0;
  if (!/^\d{1,9}$/.test(header))
    throw invalid('bad_last_event_id', 'Last-Event-ID must be the number of a message.');
  return Number(header);
}

@ApiTags('chat')
@ApiBearerAuth()
@Controller('chats')
export class ChatController {
  constructor(
    private readonly chats: ChatService,
    private readonly streams: ChatStreams,
  ) {}

  /** Customers: is the desk open now, is an agent there, and if not, when does it open. */
  @Get('availability')
  availability(@CurrentUser() user: AuthUser, @Query() q: AvailabilityQuery) {
    return this.chats.availability(user, q.sensitive ?? false);
  }

  /** Customers: opens a chat with its first message; the ticket (channel chat) is raised at once. */
  @Post()
  open(@CurrentUser() user: AuthUser, @Body() dto: OpenChatDto) {
    return this.chats.open(user, dto);
  }

  /** Customers: their chats that have not ended. Staff: the inbox (waiting, or mine). */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: InboxQuery) {
    return this.chats.list(user, q.view);
  }

  /**
   * Staff: server-sent events of the inbox: `inbox` (the waiting chats and yours) at once, `chat` for
   * each chat that changes or gets a message, `heartbeat` every 15 s. While open you count as available.
   */
  @Sse('stream')
  @Roles(...STAFF_ROLES)
  inbox(@CurrentUser() user: AuthUser): Observable<MessageEvent> {
    return this.streams.inbox(user);
  }

  /** A signed chat token for a page that embeds the chat (customer admins may sign for their users). */
  @Post('tokens')
  token(@CurrentUser() user: AuthUser, @Body() dto: ChatTokenDto) {
    return this.chats.chatToken(user, dto.email);
  }

  /** Exchanges a chat token for a session `{token, expiresAt, user}` (the embedded chat's sign-in). */
  @Public()
  @Post('sessions')
  @HttpCode(200)
  session(@Body() dto: ChatSessionDto) {
    return this.chats.exchange(dto.token);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.chats.get(user, id);
  }

  /**
   * Server-sent events of one conversation: `chat` (its state) at once and on each change, `message`
   * (id: its number) for each message you may read, `heartbeat`. A client that reconnects sends
   * Last-Event-ID and gets exactly what it missed.
   */
  @Sse(':id/stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  conversation(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query() q: StreamQuery,
  ): Promise<Observable<MessageEvent>> {
    return this.streams.conversation(user, id, resumeAfter(lastEventId, q));
  }

  /** A message (public, or an internal note by staff); the same clientMessageId is stored once. */
  @Post(':id/messages')
  send(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChatMessageDto,
  ) {
    return this.chats.send(user, id, dto);
  }

  /** Staff: the agents in the chat inbox now who may take this chat (cleared ones for a restricted chat). */
  @Get(':id/agents')
  agents(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.chats.agentsFor(user, id);
  }

  /** Staff: take a waiting chat (409 when another agent was first). */
  @Post(':id/take')
  @HttpCode(200)
  take(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.chats.take(user, id);
  }

  /** Staff: hand the chat to another agent, or back to the waiting chats. */
  @Post(':id/handover')
  @HttpCode(200)
  handOver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HandOverDto,
  ) {
    return this.chats.handOver(user, id, dto.agentId ?? null, dto.reason);
  }

  /** Ends the conversation; the ticket stays open. */
  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.chats.end(user, id);
  }
}
