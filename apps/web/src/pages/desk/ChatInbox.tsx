import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import type { Chat } from '../../api/types';
import { useAuth } from '../../auth';
import { mainTarget, SlaBadge } from '../../components/SlaBadge';
import { Time } from '../../components/Time';
import { useNow } from '../../components/useNow';
import { ChatComposer, ChatTranscript } from '../../chat/ChatTranscript';
import { followStream, type LinkState } from '../../chat/sse';
import { useChat } from '../../chat/useChat';
import { usePolicies } from '../../sla/calendars';
import { EscalateForm } from './TicketActions';

/** The inbox, live from GET /api/chats/stream: every waiting chat and mine (restricted ones only if cleared). */
function useInbox() {
  const [chats, setChats] = useState<Map<string, Chat>>(new Map());
  const [link, setLink] = useState<LinkState>('connecting');
  useEffect(
    () =>
      followStream('/api/chats/stream', {
        headers: () => ({}),
        onLink: setLink,
        onEvent: (e) => {
          if (e.event === 'inbox')
            setChats(new Map((JSON.parse(e.data) as Chat[]).map((c) => [c.ticketId, c])));
          else if (e.event === 'chat') {
            const c = JSON.parse(e.data) as Chat;
            setChats((m) => new Map(m).set(c.ticketId, c));
          }
        },
      }),
    [],
  );
  return { chats: [...chats.values()], link };
}

export function ChatInboxPage() {
  const { user } = useAuth();
  const inbox = useInbox();
  const now = useNow(1000);
  const { calendarOf } = usePolicies();
  const [selected, setSelected] = useState<string | null>(null);
  const waiting = inbox.chats
    .filter((c) => c.state === 'waiting')
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const mine = inbox.chats.filter((c) => c.state === 'active' && c.agentId === user?.id);
  const list = (title: string, chats: Chat[]) => (
    <section aria-label={title} className="chat-list">
      <h2>
        {title} ({chats.length})
      </h2>
      {chats.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <ul>
          {chats.map((c) => {
            const target = mainTarget(c.targets);
            return (
              <li key={c.ticketId} className={c.ticketId === selected ? 'selected' : undefined}>
                <button type="button" className="chat-item" onClick={() => setSelected(c.ticketId)}>
                  <span className="chat-item-head">
                    <strong>{c.reference}</strong> · Severity {c.severity}
                    {c.sensitive && <span className="tag tag-internal">OFFICIAL-SENSITIVE</span>}
                    {c.mode === 'message' && <span className="tag">message left</span>}
                  </span>
                  <span>
                    {c.requesterName}, {c.organizationName} · since <Time at={c.startedAt} />
                  </span>
                  {c.lastMessage && <span className="chat-preview">{c.lastMessage.body}</span>}
                </button>
                {target && <SlaBadge target={target} calendar={calendarOf(c)} now={now} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
  const current = inbox.chats.find((c) => c.ticketId === selected);
  return (
    <section className="chat-inbox">
      <h1 tabIndex={-1}>Chats</h1>
      <p className="hint" role="status" data-link={inbox.link}>
        {inbox.link === 'live'
          ? 'Live: while this page is open you count as available to chat.'
          : 'Connecting to the chat inbox…'}
      </p>
      <div className="chat-columns">
        <div>
          {list('Waiting', waiting)}
          {list('Mine', mine)}
        </div>
        {selected ? (
          <ChatPane key={selected} ticketId={selected} summary={current} />
        ) : (
          <p className="hint">Choose a chat.</p>
        )}
      </div>
    </section>
  );
}

function ChatPane({ ticketId, summary }: { ticketId: string; summary?: Chat }) {
  const { user } = useAuth();
  const client = useQueryClient();
  const live = useChat(ticketId);
  const c = live.chat ?? summary ?? null;
  const ticket = useQuery({
    queryKey: ['tickets', 'one', ticketId],
    queryFn: () => api.tickets.get(ticketId),
  });
  const agents = useQuery({
    queryKey: ['chats', 'agents', ticketId],
    queryFn: () => api.chats.agents(ticketId),
    refetchInterval: 30_000,
  });
  const [handTo, setHandTo] = useState('');
  const done = () => void client.invalidateQueries({ queryKey: ['tickets', 'one', ticketId] });
  const take = useMutation({ mutationFn: () => api.chats.take(ticketId), onSuccess: done });
  const end = useMutation({ mutationFn: () => api.chats.end(ticketId), onSuccess: done });
  const hand = useMutation({
    mutationFn: () => api.chats.handOver(ticketId, { agentId: handTo || null }),
    onSuccess: done,
  });
  const error = take.error ?? end.error ?? hand.error;
  return (
    <article className="chat-pane" aria-label="Conversation">
      <header>
        <h2>
          {c?.reference} {c?.subject}
        </h2>
        {c && (
          <p role="status" data-state={c.state}>
            {c.state === 'waiting' && 'Waiting for an agent.'}
            {c.state === 'active' &&
              (c.agentId === user?.id ? 'You have this chat.' : `${c.agentName} has this chat.`)}
            {c.state === 'ended' && 'This chat has ended; the ticket stays open.'}{' '}
            <Link to={`/desk/tickets/${ticketId}`}>Open the ticket</Link>
          </p>
        )}
        <div className="actions">
          {c?.state === 'waiting' && (
            <button type="button" onClick={() => take.mutate()}>
              Take chat
            </button>
          )}
          {c && c.state !== 'ended' && (
            <button type="button" className="secondary" onClick={() => end.mutate()}>
              End chat
            </button>
          )}
        </div>
        {error && (
          <p className="error" role="alert">
            {(error as Error).message}
          </p>
        )}
      </header>
      <ChatTranscript
        messages={live.messages}
        pending={live.pending}
        link={live.link}
        audience="staff"
        onDiscard={live.discard}
      />
      <ChatComposer label="Answer" internal onSend={(body, v) => live.send(body, v)} />
      {c && c.state !== 'ended' && (
        <form
          className="chat-handover"
          aria-label="Hand over"
          onSubmit={(e) => {
            e.preventDefault();
            hand.mutate();
          }}
        >
          <label htmlFor="hand-to">Hand over to</label>
          <select id="hand-to" value={handTo} onChange={(e) => setHandTo(e.target.value)}>
            <option value="">Back to the waiting chats</option>
            {(agents.data ?? [])
              .filter((a) => a.id !== user?.id)
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.supportLevel ? ` (level ${a.supportLevel})` : ''}
                </option>
              ))}
          </select>
          <button type="submit" className="secondary">
            Hand over
          </button>
        </form>
      )}
      {ticket.data && <EscalateForm ticket={ticket.data} />}
    </article>
  );
}
