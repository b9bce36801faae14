import { useEffect, useRef, useState } from 'react';
import type { Chat, Message } from '../api/types';
import { ChatConnection, type LinkState, type Pending } from './connection';

/** A live conversation: its messages in order (each once), its state, the link and the unsent outbox. */
export function useChat(ticketId: string | null) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [chat, setChat] = useState<Chat | null>(null);
  const [link, setLink] = useState<LinkState>('connecting');
  const [pending, setPending] = useState<Pending[]>([]);
  const conn = useRef<ChatConnection | null>(null);
  useEffect(() => {
    setMessages([]);
    setChat(null);
    if (!ticketId) return;
    const c = new ChatConnection(ticketId, {
      onMessage: (m) =>
        setMessages((list) =>
          list.some((x) => x.seq === m.seq) ? list : [...list, m].sort((a, b) => a.seq - b.seq),
        ),
      onChat: setChat,
      onLink: setLink,
      onPending: setPending,
    });
    conn.current = c;
    c.start();
    return () => {
      c.stop();
      conn.current = null;
    };
  }, [ticketId]);
  return {
    messages,
    chat,
    link,
    pending,
    send: (body: string, visibility: 'public' | 'internal' = 'public') =>
      conn.current?.send(body, visibility),
    discard: (clientMessageId: string) => conn.current?.discard(clientMessageId),
  };
}
