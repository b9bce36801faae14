import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { InboundStore } from './inbound-store.service';
import { MailConfig } from './mail.config';

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The support address's own SMTP listener. Accepts mail for the configured addresses (and their
 * `+HD-000123` variants), refuses anything over the size limit with 552 at DATA time, offers
 * STARTTLS when a certificate is configured, and answers 250 only once the raw bytes are stored.
 */
@Injectable()
export class SmtpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmtpListener.name);
  private server?: SMTPServer;
  private boundPort = 0;

  constructor(
    private readonly config: MailConfig,
    private readonly store: InboundStore,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MAIL_SMTP_PORT <= 0) return;
    try {
      await this.listen(this.config.MAIL_SMTP_PORT, this.config.MAIL_SMTP_HOST);
    } catch (err) {
      // With several workers on one host only the first can have the port; the others file mail.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      this.server = undefined;
      this.logger.error(
        `!!! SMTP port ${this.config.MAIL_SMTP_PORT} is in use: this worker does not listen for mail ` +
          '(fine when another worker on this host does; otherwise free the port or change MAIL_SMTP_PORT)',
      );
    }
  }

  accepts(address: string): boolean {
    const a = address.trim().toLowerCase();
    const [local, domain] = [a.slice(0, a.lastIndexOf('@')), a.slice(a.lastIndexOf('@') + 1)];
    return this.config.acceptedRecipients.some((ok) => {
      const [okLocal, okDomain] = ok.split('@');
      return domain === okDomain && (local === okLocal || local.startsWith(okLocal + '+'));
    });
  }

  /** Starts listening (port 0: a free port); returns the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const tls = this.config.MAIL_SMTP_TLS_KEY_FILE
      ? {
          key: readFileSync(this.config.MAIL_SMTP_TLS_KEY_FILE),
          cert: readFileSync(this.config.MAIL_SMTP_TLS_CERT_FILE as string),
        }
      : null;
    const maxBytes = this.config.MAIL_MAX_MESSAGE_BYTES;
    this.server = new SMTPServer({
      name: this.config.MAIL_SUPPORT_ADDRESS.split('@')[1],
      banner: 'helpdesk support mail',
      size: maxBytes,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.accepts(address.address)) return callback();
        callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) =>
        this.onData(stream, session, callback),
    });
    this.server.on('error', (err) => this.logger.error(`smtp listener: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    this.boundPort = (this.server.server.address() as AddressInfo).port;
    this.logger.log(
      `SMTP listener on ${host}:${this.boundPort} for ${this.config.acceptedRecipients.join(', ')}${tls ? ' (STARTTLS)' : ''}`,
    );
    return this.boundPort;
  }

  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= this.config.MAIL_MAX_MESSAGE_BYTES) chunks.push(chunk);
    });
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      if (stream.sizeExceeded || length > this.config.MAIL_MAX_MESSAGE_BYTES) {
        return callback(
          smtpError(
            552,
            `5.3.4 Message too big: the limit is ${this.config.MAIL_MAX_MESSAGE_BYTES} bytes`,
          ),
        );
      }
      const receivedAt = new Date();
      const mailFrom = session.envelope.mailFrom;
      this.store
        .receive(Buffer.concat(chunks, length), {
          source: 'smtp',
          receivedAt,
          envelopeFrom: mailFrom ? mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        })
        .then((r) =>
          callback(null, `2.0.0 stored as ${r.id}${r.duplicate ? ' (already had it)' : ''}`),
        )
        .catch((err: Error) => {
          this.logger.error(`could not store a mail: ${err.message}`);
          callback(smtpError(451, '4.3.0 Temporary failure storing the message, try again later'));
        });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
