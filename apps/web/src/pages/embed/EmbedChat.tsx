import { useEffect, useState } from 'react';
import { api, setBearer } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { ChatPanel } from '../../chat/ChatPanel';

const KEY = 'helpdesk.chat-session';

/**
 * The chat inside a customer's own site (the frame that /chat-embed.js opens). Signed in by a chat
 * token in the address's fragment (`#token=…`, never sent to any server but ours), exchanged once
 * for a session kept in this frame's sessionStorage; without one, by the helpdesk's session cookie.
 */
export function EmbedChatPage() {
  const [state, setState] = useState<'signing-in' | 'ready' | 'signed-out' | string>(
    'signing-in',
  );
  useEffect(() => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token');
    const kept = sessionStorage.getItem(KEY);
    if (!token) {
      if (kept) setBearer(kept);
      void api.chats
        .list()
        .then(() => setState('ready'))
        .catch((e: unknown) =>
          setState(e instanceof ApiError && e.status === 401 ? 'signed-out' : String(e)),
        );
      return;
    }
    history.replaceState(null, '', location.pathname); // the token is used once; keep it out of history
    api.chats.session(token).then(
      (s) => {
        sessionStorage.setItem(KEY, s.token);
        setBearer(s.token);
        setState('ready');
      },
      (e: Error) => setState(e.message),
    );
  }, []);
  if (state === 'ready')
    return (
      <main id="main" className="embed">
        <ChatPanel embedded />
      </main>
    );
  return (
    <main id="main" className="embed">
      {state === 'signing-in' ? (
        <p role="status">Signing in…</p>
      ) : state === 'signed-out' ? (
        <p>
          <a href="/login" target="_blank" rel="noopener">
            Sign in to the helpdesk
          </a>{' '}
          to chat with support, then come back to this page.
        </p>
      ) : (
        <p className="error" role="alert">
          The chat could not sign you in: {state}
        </p>
      )}
    </main>
  );
}
