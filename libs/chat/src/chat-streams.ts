import { AuthUser } from '@app/identity';
import { MessageView, TicketAccess, TicketsService } from '@app/tickets';
import { Injectable, MessageEvent } from '@nestjs/common';
import { concatMap, from, interval, map, merge, mergeMap, Observable, startWith } from 'rxjs';
import { AgentPresence } from './agent-presence';
import { ChatFeed, FeedEvent } from './chat-feed';
import { ChatService } from './chat.service';
import type { ChatView } from './chat.types';

/** Milliseconds between heartbeat events (keeps proxies from closing an idle stream). */
export const CHAT_HEARTBEAT_MS = 15_000;

const heartbeats = () =>
  interval(CHAT_HEARTBEAT_MS).pipe(
    startWith(-1),
    map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })),
  );

/** The feed's events for one ticket (or all), from the moment of subscription. */
const feedOf = (feed: ChatFeed, ticketId?: string) =>
  new Observable<FeedEvent>((sub) =>
    ticketId ? feed.onTicket(ticketId, (e) => sub.next(e)) : feed.onAll((e) => sub.next(e)),
  );

/**
 * The live side of chat, as server-sent events. PostgreSQL is the truth: a stream first reads what
 * the client has not got (after its Last-Event-ID), then follows the feed, which was listened to
 * before that read, so nothing committed in between is missed; a message seen twice (in the read and
 * on the feed) is sent once, by its number.
 */
@Injectable()
export class ChatStreams {
  constructor(
    private readonly chats: ChatService,
    private readonly tickets: TicketsService,
    private readonly feed: ChatFeed,
    private readonly presence: AgentPresence,
  ) {}

  /**
   * One conversation: `chat` (its state) at once and on each change, `message` (id = its number) for
   * each message the viewer may read (internal notes: staff only), `heartbeat`.
   */
  async conversation(
    viewer: AuthUser,
    ticketId: string,
    afterSeq: number,
  ): Promise<Observable<MessageEvent>> {
    await this.chats.get(viewer, ticketId); // 404 / 403 before the stream opens
    const internal = TicketAccess.maySeeInternal(viewer);
    let last = afterSeq;
    const deliver = (messages: (MessageView | null)[]): MessageEvent[] =>
      messages
        .filter((m): m is MessageView => !!m && m.seq > last)
        .filter((m) => internal || m.visibility === 'public')
        .map((m) => {
          last = m.seq;
          return { type: 'message', id: String(m.seq), data: m };
        });
    const chatEvent = (c: ChatView | null): MessageEvent[] =>
      c ? [{ type: 'chat', data: this.forViewer(c, internal) }] : [];
    const resync = { kind: 'resync', n: 0 } as FeedEvent;
    const events = merge(from([resync]), feedOf(this.feed, ticketId)).pipe(
      concatMap(async (e): Promise<MessageEvent[]> => {
        if (e.kind === 'message') return deliver([await this.feed.message(ticketId, e.seq)]);
        if (e.kind === 'chat') return chatEvent(await this.feed.chat(ticketId, e.n));
        const missed = await this.tickets.messagesSince(viewer, ticketId, last);
        return [...chatEvent(await this.chats.get(viewer, ticketId)), ...deliver(missed)];
      }),
      mergeMap((batch) => from(batch)),
    );
    return merge(events, heartbeats());
  }

  /**
   * Staff inbox: `inbox` (every waiting chat and the viewer's own) at once and after a resync, then
   * `chat` for each chat that changed or got a message. Restricted chats reach cleared staff only.
   * While it is open, the viewer counts as an agent available to chat.
   */
  inbox(viewer: AuthUser): Observable<MessageEvent> {
    const visible = (c: ChatView | null): c is ChatView =>
      !!c && TicketAccess.maySeeContent(viewer, c);
    const events = merge(from([{ kind: 'resync', n: 0 } as FeedEvent]), feedOf(this.feed)).pipe(
      concatMap(async (e): Promise<MessageEvent[]> => {
        if (e.kind === 'resync') {
          const [waiting, mine] = await Promise.all([
            this.chats.list(viewer, 'waiting'),
            this.chats.list(viewer, 'mine'),
          ]);
          return [{ type: 'inbox', data: [...waiting, ...mine].filter(visible) }];
        }
        const chat = await this.feed.chat(e.ticketId, e.n);
        return visible(chat) ? [{ type: 'chat', data: chat }] : [];
      }),
      mergeMap((batch) => from(batch)),
    );
    return new Observable<MessageEvent>((sub) => {
      const leave = this.presence.arrive(viewer);
      const s = merge(events, heartbeats()).subscribe(sub);
      return () => {
        leave();
        s.unsubscribe();
      };
    });
  }

  /** A customer sees no SLA targets of the desk's. */
  private forViewer(c: ChatView, staffView: boolean): ChatView {
    return staffView ? c : { ...c, targets: [] };
  }
}
