/** One server-sent event. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/**
 * Reads a text/event-stream body (fetch, not EventSource: fetch can send a bearer token and our own
 * Last-Event-ID, and works the same in an embedded frame). Calls `onEvent` for each event.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: SseEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const e: SseEvent = { event: 'message', id: null, data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') e.event = value;
        else if (field === 'id') e.id = value;
        else if (field === 'data') data.push(value);
      }
      e.data = data.join('\n');
      onEvent(e);
    }
  }
}

export type LinkState = 'connecting' | 'live' | 'reconnecting';

/** No byte for this long (the server sends a heartbeat every 15 s): the link is dead, reconnect. */
const SILENCE_MS = 40_000;

/**
 * Follows a server-sent event stream until stopped, reconnecting after a drop (1 s, doubling to 15 s).
 * `headers` is asked again on each connection (a resume cursor). A 4xx answer ends it: `onRefused`.
 * Returns the stop function.
 */
export function followStream(
  url: string,
  on: {
    headers(): Record<string, string>;
    onEvent(e: SseEvent): void;
    onLink(s: LinkState): void;
    onRefused?(status: number): void;
    /** After each drop, before reconnecting. */
    onDrop?(): void;
  },
): () => void {
  let stopped = false;
  let abort: AbortController | null = null;
  let retryMs = 1000;
  let connected = false;
  void (async () => {
    while (!stopped) {
      on.onLink(connected ? 'reconnecting' : 'connecting');
      abort = new AbortController();
      let silence: ReturnType<typeof setTimeout> | undefined;
      const quiet = () => {
        clearTimeout(silence);
        silence = setTimeout(() => abort?.abort(), SILENCE_MS);
      };
      try {
        const res = await fetch(url, {
          headers: { accept: 'text/event-stream', ...on.headers() },
          credentials: 'same-origin',
          signal: abort.signal,
        });
        if (res.status >= 400 && res.status < 500) {
          on.onRefused?.(res.status);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        quiet();
        await readEvents(res.body, (e) => {
          quiet();
          retryMs = 1000;
          connected = true;
          on.onLink('live');
          on.onEvent(e);
        });
      } catch {
        /* dropped: reconnect below */
      } finally {
        clearTimeout(silence);
      }
      if (stopped) return;
      on.onLink('reconnecting');
      on.onDrop?.();
      await new Promise((r) => setTimeout(r, retryMs));
      retryMs = Math.min(retryMs * 2, 15_000);
    }
  })();
  return () => {
    stopped = true;
    abort?.abort();
  };
}
