import { ChatPanel } from '../../chat/ChatPanel';

export function ChatPage() {
  return <ChatPanel />;
}
