import { api, authHeaders } from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Chat, Message } from '../api/types';
import { followStream, type LinkState } from './sse';
import { tolerantStorage } from './storage';

const store = tolerantStorage('local');

export type { LinkState };

/** A message that could not get through is tried again after this long (and on every reconnect). */
const RESEND_MS = 2000;

/** A v4 UUID (crypto.randomUUID exists only on https and localhost pages). */
export function newMessageId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A message typed here and not yet acknowledged by the API (kept in localStorage until it is). */
export interface Pending {
  clientMessageId: string;
  body: string;
  visibility: 'public' | 'internal';
  /** Set when the API refused it for good (a 4xx): shown, not retried. */
  error?: string;
}

export interface ChatHandlers {
  onMessage(m: Message): void;
  onChat(c: Chat): void;
  onLink(s: LinkState): void;
  onPending(p: Pending[]): void;
}

/**
 * One conversation's live link: server-sent events read with fetch, resumed after the last message
 * number it has (Last-Event-ID), so a dropped connection misses nothing and repeats nothing. What the
 * user sends goes to an outbox (in localStorage, so even a reload keeps it) and is retried with the
 * same client message id until the API stores it: at most once, never lost.
 */
export class ChatConnection {
  private last = 0;
  private stopStream: () => void = () => undefined;
  private sending = false;
  private readonly key: string;

  constructor(
    private readonly ticketId: string,
    private readonly on: ChatHandlers,
  ) {
    this.key = `helpdesk.chat-outbox.${ticketId}`;
  }

  start(): void {
    this.connect();
    this.on.onPending(this.outbox());
    void this.flush();
    window.addEventListener('online', this.wake);
  }

  stop(): void {
    this.stopStream();
    window.removeEventListener('online', this.wake);
  }

  /** Queues a message (sent at once when the API can be reached, else when it can). */
  send(body: string, visibility: 'public' | 'internal' = 'public'): void {
    const clientMessageId = newMessageId();
    this.save([...this.outbox(), { clientMessageId, body, visibility }]);
    void this.flush();
  }

  /** Forgets a message the API refused. */
  discard(clientMessageId: string): void {
    this.save(this.outbox().filter((p) => p.clientMessageId !== clientMessageId));
  }

  private readonly wake = () => void this.flush();

  private connect(): void {
    this.stopStream = followStream(`/api/chats/${this.ticketId}/stream`, {
      headers: () => ({ 'last-event-id': String(this.last), ...authHeaders() }),
      onLink: this.on.onLink,
      onRefused: () => this.on.onLink('reconnecting'),
      onDrop: () => void this.flush(),
      onEvent: (e) => {
        if (e.event === 'message') {
          const m = JSON.parse(e.data) as Message;
          this.last = Math.max(this.last, m.seq);
          this.acknowledge(m.clientMessageId);
          this.on.onMessage(m);
        } else if (e.event === 'chat') this.on.onChat(JSON.parse(e.data) as Chat);
      },
    });
  }

  /** Sends the outbox in order; stops at the first that cannot get through (tried again later). */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      let p: Pending | undefined;
      while ((p = this.outbox().find((q) => !q.error))) {
        try {
          await api.chats.send(this.ticketId, {
            clientMessageId: p.clientMessageId,
            body: p.body,
            visibility: p.visibility,
          });
          this.acknowledge(p.clientMessageId);
        } catch (e) {
          if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
            const refused = p.clientMessageId;
            this.save(
              this.outbox().map((q) =>
                q.clientMessageId === refused ? { ...q, error: e.message } : q,
              ),
            );
            continue;
          }
          setTimeout(() => void this.flush(), RESEND_MS);
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private acknowledge(clientMessageId: string | null): void {
    if (!clientMessageId) return;
    const rest = this.outbox().filter((p) => p.clientMessageId !== clientMessageId);
    if (rest.length !== this.outbox().length) this.save(rest);
  }

  private outbox(): Pending[] {
    try {
      return JSON.parse(store.get(this.key) ?? '[]') as Pending[];
    } catch {
      return [];
    }
  }

  private save(list: Pending[]): void {
    if (list.length) store.set(this.key, JSON.stringify(list));
    else store.remove(this.key);
    this.on.onPending(list);
  }
}
