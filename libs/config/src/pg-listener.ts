import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * One dedicated PostgreSQL connection that LISTENs on a channel and hands each notification's payload
 * to `onPayload`. The connection is re-opened (after 1 s, then up to 30 s) when it drops; notifications
 * sent in that gap are lost, so `onListening` is called each time listening (re)starts and a reader that
 * must miss nothing catches up from the tables there.
 */
export class PgListener {
  private readonly log: Logger;
  private client: Client | null = null;
  private closed = false;
  private retryMs = 1000;
  private retry?: NodeJS.Timeout;
  private readonly dead = new WeakSet<Client>();

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly onListening: () => void = () => undefined,
  ) {
    this.log = new Logger(`PgListener(${channel})`);
  }

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.url });
    client.on(
      'notification',
      (n) => n.channel === this.channel && n.payload && this.onPayload(n.payload),
    );
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.retryMs = 1000;
      this.onListening();
    } catch (e) {
      this.lost(client, e as Error);
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private lost(client: Client, e?: Error): void {
    if (this.closed || this.dead.has(client)) return;
    this.dead.add(client);
    if (this.client === client) this.client = null;
    client.end().catch(() => undefined);
    this.log.warn(
      `lost its PostgreSQL connection${e ? ` (${e.message})` : ''}; retrying in ${this.retryMs} ms`,
    );
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.start(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }
}
