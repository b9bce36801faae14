import { useEffect, useRef, useState } from 'react';
import type { Message } from '../api/types';
import { Files } from '../components/Conversation';
import { Time } from '../components/Time';
import type { LinkState, Pending } from './connection';

const STAFF = ['agent', 'manager', 'admin'];

const LINK_TEXT: Record<LinkState, string> = {
  connecting: 'Connecting…',
  live: 'Connected',
  reconnecting: 'Connection lost: reconnecting. What you type is kept and sent when it is back.',
};

/** The conversation as it arrives, then what is still being sent; internal notes marked (staff only get them). */
export function ChatTranscript({
  messages,
  pending,
  link,
  audience,
  onDiscard,
}: {
  messages: Message[];
  pending: Pending[];
  link: LinkState;
  audience: 'customer' | 'staff';
  onDiscard(clientMessageId: string): void;
}) {
  const end = useRef<HTMLLIElement>(null);
  // In braces: scrollIntoView returns a promise in newer browsers, and an effect may return only its cleanup.
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, pending.length]);
  const shown = new Set(messages.map((m) => m.clientMessageId));
  return (
    <div className="chat-transcript">
      <p className={`chat-link chat-link-${link}`} role="status" data-link={link}>
        {LINK_TEXT[link]}
      </p>
      <ol className="conversation" aria-label="Chat" aria-live="polite">
        {messages.map((m) => {
          const fromDesk = !!m.authorRole && STAFF.includes(m.authorRole);
          return (
            <li
              key={m.seq}
              className={`message ${m.visibility} ${fromDesk ? 'from-desk' : 'from-customer'}`}
              data-visibility={m.visibility}
            >
              <div className="meta">
                {m.visibility === 'internal' && (
                  <span className="tag tag-internal">
                    Internal note: not visible to the customer
                  </span>
                )}
                {audience === 'customer' && fromDesk && (
                  <span className="tag tag-public">Support team</span>
                )}
                <strong>{m.authorName ?? 'someone'}</strong> · <Time at={m.createdAt} />
                {m.channel !== 'chat' && <span className="tag">by {m.channel}</span>}
              </div>
              {m.body && <div className="body">{m.body}</div>}
              <Files ticketId={m.ticketId} files={m.attachments} />
            </li>
          );
        })}
        {pending
          .filter((p) => !shown.has(p.clientMessageId))
          .map((p) => (
            <li key={p.clientMessageId} className={`message ${p.visibility} pending`}>
              <div className="meta">
                {p.error ? (
                  <span className="error" role="alert">
                    Not sent: {p.error}{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => onDiscard(p.clientMessageId)}
                    >
                      Remove
                    </button>
                  </span>
                ) : (
                  <span className="tag">Sending…</span>
                )}
              </div>
              <div className="body">{p.body}</div>
            </li>
          ))}
        <li ref={end} aria-hidden="true" className="chat-end" />
      </ol>
    </div>
  );
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function ChatComposer({
  onSend,
  label = 'Message',
  internal,
  disabled,
}: {
  onSend(body: string, visibility: 'public' | 'internal'): void;
  label?: string;
  /** Staff: offer an internal note. */
  internal?: boolean;
  disabled?: boolean;
}) {
  const [body, setBody] = useState('');
  const [note, setNote] = useState(false);
  const send = () => {
    if (!body.trim()) return;
    onSend(body, note ? 'internal' : 'public');
    setBody('');
  };
  return (
    <form
      className="chat-composer"
      aria-label="Write a message"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor="chat-body">{label}</label>
      <textarea
        id="chat-body"
        rows={3}
        value={body}
        disabled={disabled}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            send();
          }
        }}
      />
      {internal && (
        <label className="checkbox">
          <input type="checkbox" checked={note} onChange={(e) => setNote(e.target.checked)} />{' '}
          Internal note (the customer never sees it)
        </label>
      )}
      <button type="submit" disabled={disabled || !body.trim()}>
        {note ? 'Add note' : 'Send'}
      </button>
    </form>
  );
}
