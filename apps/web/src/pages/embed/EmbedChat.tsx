import { useEffect, useState } from 'react';
import { api, setBearer } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { ChatPanel } from '../../chat/ChatPanel';
import { tolerantStorage } from '../../chat/storage';

const store = tolerantStorage('session');

const KEY = 'helpdesk.chat-session';

/**
 * The chat inside a customer's own site (the frame that /chat-embed.js opens). Signed in by a chat
 * token in the address's fragment (`#token=…`, never sent to any server but ours), exchanged once
 * for a session kept in this frame's sessionStorage; without one, by the helpdesk's session cookie.
 */
/** The token of the address, exchanged once per page however often the effect runs. */
let exchange: Promise<string> | null = null;
const signIn = (token: string) => (exchange ??= api.chats.session(token).then((s) => s.token));

export function EmbedChatPage() {
  const [token] = useState(() => new URLSearchParams(location.hash.slice(1)).get('token'));
  const [state, setState] = useState<'signing-in' | 'ready' | 'signed-out' | string>('signing-in');
  useEffect(() => {
    if (!token) {
      const kept = store.get(KEY);
      if (kept) setBearer(kept);
      void api.chats
        .list()
        .then(() => setState('ready'))
        .catch((e: unknown) =>
          setState(e instanceof ApiError && e.status === 401 ? 'signed-out' : String(e)),
        );
      return;
    }
    history.replaceState(null, '', location.pathname); // used once: keep it out of history
    signIn(token).then(
      (session) => {
        store.set(KEY, session);
        setBearer(session);
        setState('ready');
      },
      (e: Error) => setState(e.message),
    );
  }, [token]);
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
