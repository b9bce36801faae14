import { AppConfig, Batch, PgListener, TtlCache } from '@app/config';
import { MessageView, TicketsService } from '@app/tickets';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ChatView } from './chat.types';
import { ChatsRepository } from './chats.repository';

/** The PostgreSQL channel on which every stored message (`m:<ticket>:<seq>`) and chat change (`c:<ticket>`) is announced. */
export const CHAT_CHANNEL = 'chat';

export type FeedEvent =
  | { kind: 'message'; ticketId: string; seq: number; n: number }
  | { kind: 'chat'; ticketId: string; n: number }
  /** Listening (re)started: announcements may have been missed, read the tables again. */
  | { kind: 'resync'; n: number };

type Listener = (e: FeedEvent) => void;

/**
 * Messages and chat changes committed by any api process, as they are committed: one LISTEN connection
 * per process, routed to the streams open here by ticket (conversations) or to all (inboxes). What an
 * announcement names is read once per process however many streams want it (a burst in one query).
 */
@Injectable()
export class ChatFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listener: PgListener;
  private readonly byTicket = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();
  private n = 0;
  private readonly messages = new Batch((keys: { ticketId: string; seq: number }[]) =>
    this.tickets.messagesAt(keys).then((found) => {
      const at = new Map(found.map((m) => [`${m.ticketId}:${m.seq}`, m]));
      return keys.map((k) => at.get(`${k.ticketId}:${k.seq}`) ?? null);
    }),
  );
  private readonly chats = new Batch((ids: string[]) =>
    this.repo.findMany([...new Set(ids)]).then((found) => {
      const by = new Map(found.map((c) => [c.ticketId, c]));
      return ids.map((id) => by.get(id) ?? null);
    }),
  );
  private readonly reads = new TtlCache<string, Promise<unknown>>(5_000);

  constructor(
    config: AppConfig,
    private readonly tickets: TicketsService,
    private readonly repo: ChatsRepository,
  ) {
    this.listener = new PgListener(
      config.DATABASE_URL,
      CHAT_CHANNEL,
      (p) => this.announced(p),
      () => this.emitAll({ kind: 'resync', n: ++this.n }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  /** Open streams in this process. */
  get subscribers(): number {
    let n = this.everything.size;
    for (const s of this.byTicket.values()) n += s.size;
    return n;
  }

  /** Events of one ticket (and every resync); returns the unsubscribe. */
  onTicket(ticketId: string, fn: Listener): () => void {
    let set = this.byTicket.get(ticketId);
    if (!set) this.byTicket.set(ticketId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.byTicket.delete(ticketId);
    };
  }

  /** Events of every ticket; returns the unsubscribe. */
  onAll(fn: Listener): () => void {
    this.everything.add(fn);
    return () => this.everything.delete(fn);
  }

  /** The message an event names (read once for all the streams of this process). */
  message(ticketId: string, seq: number): Promise<MessageView | null> {
    return this.once(`m:${ticketId}:${seq}`, () => this.messages.run({ ticketId, seq }));
  }

  /** The chat as it is after event `n` (null: the ticket is not a chat). */
  chat(ticketId: string, n: number): Promise<ChatView | null> {
    return this.once(`c:${ticketId}:${n}`, () => this.chats.run(ticketId));
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.reads.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.reads.set(key, p);
      p.catch(() => this.reads.delete(key));
    }
    return p;
  }

  private announced(payload: string): void {
    const [kind, ticketId, seq] = payload.split(':');
    const n = ++this.n;
    const e: FeedEvent =
      kind === 'm'
        ? { kind: 'message', ticketId, seq: Number(seq), n }
        : { kind: 'chat', ticketId, n };
    for (const fn of this.byTicket.get(ticketId) ?? []) fn(e);
    for (const fn of this.everything) fn(e);
  }

  private emitAll(e: FeedEvent): void {
    for (const set of this.byTicket.values()) for (const fn of set) fn(e);
    for (const fn of this.everything) fn(e);
  }
}
