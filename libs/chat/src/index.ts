export * from './chat.types';
export { ChatService, type OpenChat, type ChatMessage } from './chat.service';
export { ChatFeed, CHAT_CHANNEL } from './chat-feed';
export { CHAT_TOKEN_TTL_S } from './chat-tokens';
export { ChatModule } from './chat.module';
