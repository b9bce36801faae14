import { Module } from '@nestjs/common';
import { AgentPresence } from './agent-presence';
import { ChatFeed } from './chat-feed';
import { ChatStreams } from './chat-streams';
import { ChatTokens } from './chat-tokens';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { ChatsRepository } from './chats.repository';

/** Support chat, for the api (the worker has no part in it). */
@Module({
  providers: [ChatsRepository, ChatService, ChatStreams, ChatFeed, AgentPresence, ChatTokens],
  controllers: [ChatController],
  exports: [ChatService, ChatFeed],
})
export class ChatModule {}
