import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { InboundMailRepository } from './inbound-mail.repository';
import { InboundStore } from './inbound-store.service';
import { MailConfig } from './mail.config';

export interface ImapSettings {
  url: string;
  mailbox: string;
  processedMailbox: string;
  pollMs: number;
  tlsInsecure: boolean;
}

/**
 * Polls an existing mailbox: IDLE where the server has it (imapflow idles on its own and tells us
 * of new mail), a timer otherwise. Each message's raw bytes are stored with the mailbox's internal
 * date as the time of receipt; once the pipeline has filed it (or put it on the review list) the
 * message is moved to the processed folder. Nothing is ever deleted.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImapPoller.name);
  private client?: ImapFlow;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** `uidValidity-uid` -> inbound mail id, so a message's bytes are fetched once. */
  private readonly known = new Map<string, string>();
  private settings?: ImapSettings;

  constructor(
    private readonly config: MailConfig,
    private readonly store: InboundStore,
    private readonly repo: InboundMailRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.IMAP_URL) return;
    await this.start({
      url: this.config.IMAP_URL,
      mailbox: this.config.IMAP_MAILBOX,
      processedMailbox: this.config.IMAP_PROCESSED_MAILBOX,
      pollMs: this.config.IMAP_POLL_MS,
      tlsInsecure: this.config.IMAP_TLS_INSECURE,
    });
  }

  async start(settings: ImapSettings): Promise<void> {
    this.settings = settings;
    this.stopped = false;
    await this.connect();
    this.timer = setInterval(() => this.trigger(), settings.pollMs);
    this.trigger();
  }

  private async connect(): Promise<void> {
    const s = this.settings!;
    const url = new URL(s.url);
    const secure = url.protocol === 'imaps:';
    const client = new ImapFlow({
      host: url.hostname,
      port: Number(url.port || (secure ? 993 : 143)),
      secure,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      tls: { rejectUnauthorized: !s.tlsInsecure },
      logger: false,
    });
    client.on('exists', () => this.trigger());
    client.on('error', (err: Error) => this.logger.warn(`imap: ${err.message}`));
    client.on('close', () => {
      if (this.stopped) return;
      this.logger.warn('imap connection closed; reconnecting in 5 s');
      setTimeout(
        () =>
          this.connect().then(
            () => this.trigger(),
            (e: Error) => this.logger.error(`imap reconnect: ${e.message}`),
          ),
        5000,
      ).unref();
    });
    await client.connect();
    try {
      await client.mailboxCreate(s.processedMailbox);
    } catch {
      // exists already
    }
    this.client = client;
  }

  /** Runs a pass now, or once more after the running one. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((err: Error) => this.logger.error(`imap pass failed: ${err.message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** One pass over the mailbox: stores new messages, moves the filed ones; looks again soon while some wait to be filed. */
  async pass(): Promise<void> {
    const client = this.client;
    const s = this.settings!;
    if (!client || !client.usable) return;
    const lock = await client.getMailboxLock(s.mailbox);
    let pending = 0;
    try {
      const box = client.mailbox;
      const validity = box && typeof box === 'object' ? String(box.uidValidity) : '0';
      const empty = !box || typeof box !== 'object' || box.exists === 0;
      const done: number[] = [];
      for (const msg of empty
        ? []
        : await client.fetchAll('1:*', { uid: true, internalDate: true, size: true })) {
        const key = `${validity}-${msg.uid}`;
        let id = this.known.get(key);
        if (!id) {
          const full = await client.fetchOne(
            String(msg.uid),
            { source: true, internalDate: true },
            { uid: true },
          );
          if (!full || !full.source) continue;
          const when =
            full.internalDate instanceof Date
              ? full.internalDate
              : new Date(full.internalDate ?? Date.now());
          const receipt = await this.store.receive(full.source, {
            source: 'imap',
            receivedAt: when,
          });
          id = receipt.id;
          this.known.set(key, id);
        }
        const row = await this.repo.db.query(`SELECT status FROM inbound_mails WHERE id = $1`, [
          id,
        ]);
        if (row[0] && row[0].status !== 'received') done.push(msg.uid);
        else pending++;
      }
      if (done.length) {
        await client.messageMove(done.join(','), s.processedMailbox, { uid: true });
        for (const uid of done) this.known.delete(`${validity}-${uid}`);
      }
    } finally {
      lock.release();
    }
    // IDLE at once rather than after imapflow's 15 s of inactivity; the next command ends it.
    if (!pending && !this.stopped && client.usable && client.capabilities.has('IDLE'))
      void client.idle().catch(() => undefined);
    if (pending && !this.stopped) {
      clearTimeout(this.soon);
      this.soon = setTimeout(() => this.trigger(), 300);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.running;
    await this.client?.logout().catch(() => undefined);
  }
}
