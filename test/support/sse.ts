import http from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed JSON of each event
  data: any;
}

export interface SseStream {
  events: SseEvent[];
  status(): number;
  contentType(): string;
  /** The body of a refused stream (a JSON error). */
  body(): string;
  /** Ended by the server or the network. */
  ended(): boolean;
  close(): void;
}

/** A raw HTTP server-sent-events client: collects the parsed events until closed (no reconnect). */
export function openStream(
  port: number,
  path: string,
  headers: Record<string, string>,
  opts: { onEvent?: (e: SseEvent) => void; keep?: boolean; agent?: http.Agent } = {},
): SseStream {
  const events: SseEvent[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  let raw = '';
  let ended = false;
  const req = http.get(
    {
      host: '127.0.0.1',
      port,
      path,
      agent: opts.agent,
      headers: { accept: 'text/event-stream', ...headers },
    },
    (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      res.on('data', (chunk: string) => {
        if (status !== 200) return void (raw += chunk);
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'event') ev.event = value;
            else if (field === 'id') ev.id = value;
            else if (field === 'data') ev.data += value;
          }
          try {
            ev.data = JSON.parse(ev.data);
          } catch {
            /* keep the text */
          }
          opts.onEvent?.(ev);
          if (opts.keep !== false) events.push(ev);
        }
      });
    },
  );
  req.on('error', () => (ended = true));
  return {
    events,
    status: () => status,
    contentType: () => contentType,
    body: () => raw,
    ended: () => ended,
    close: () => req.destroy(),
  };
}
