import type { Attachment, Message, Role, Ticket } from '../api/types';
import { FileLink } from './FileLink';
import { Time } from './Time';

const STAFF: Role[] = ['agent', 'manager', 'admin'];

/** The files that came with a message, each a download. */
export function Files({ ticketId, files }: { ticketId: string; files?: Attachment[] }) {
  if (!files?.length) return null;
  return (
    <ul className="message-files" aria-label="Files with this message">
      {files.map((a) => (
        <li key={a.id}>
          {a.available ? (
            <FileLink ticketId={ticketId} id={a.id} filename={a.filename} />
          ) : (
            <span>{a.filename} (too large to keep)</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function author(m: Message): string {
  return m.automatic ? 'Helpdesk (automatic)' : m.authorName || 'someone';
}

/**
 * The ticket's messages, oldest first. Staff see internal notes marked loudly as such; customers
 * see only public messages (the API also withholds notes from them).
 */
export function Conversation({
  ticket,
  audience,
}: {
  ticket: Ticket;
  audience: 'customer' | 'staff';
}) {
  const messages = [...(ticket.messages ?? [])]
    .filter((m) => audience === 'staff' || m.visibility === 'public')
    .sort((a, b) => a.seq - b.seq);
  // A chat's first message is its description: shown once, as the message it was.
  const chat = ticket.channel === 'chat';
  return (
    <ol className="conversation" aria-label="Conversation">
      {!chat && (
        <li className="message public">
          <div className="meta">
            <strong>{ticket.requesterEmail}</strong> raised the ticket ·{' '}
            <Time at={ticket.receivedAt} />
          </div>
          <div className="body">{ticket.description}</div>
          <Files ticketId={ticket.id} files={ticket.attachments} />
        </li>
      )}
      {messages.map((m) => (
        <li key={m.id} className={`message ${m.visibility}`} data-visibility={m.visibility}>
          <div className="meta">
            {audience === 'staff' && (
              <span className={`tag tag-${m.visibility}`}>
                {m.visibility === 'internal'
                  ? 'Internal note: not visible to the customer'
                  : 'Public reply: the customer sees this'}
              </span>
            )}
            {audience === 'customer' && m.authorRole && STAFF.includes(m.authorRole) && (
              <span className="tag tag-public">Support team</span>
            )}
            <strong>{author(m)}</strong> · <Time at={m.createdAt} />
            {m.automatic && <span className="tag">automatic</span>}
          </div>
          {/* Text only: bodies are never trusted as HTML. */}
          {m.body && <div className="body">{m.body}</div>}
          <Files ticketId={ticket.id} files={m.attachments} />
        </li>
      ))}
    </ol>
  );
}
