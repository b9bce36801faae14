import { simpleParser, type ParsedMail } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  raw: string;
  parsed: ParsedMail;
}

/** A real SMTP server (smtp-server) on a random port that keeps every mail it receives. */
export class SmtpSink {
  readonly mails: CapturedMail[] = [];
  private refusals: { pred: (m: CapturedMail) => boolean; times: number }[] = [];

  /** Refuses (451) the next `times` deliveries of mails matching `pred` (to test retries). */
  refuse(pred: (m: CapturedMail) => boolean, times = Infinity): void {
    this.refusals.push({ pred, times });
  }
  private server: SMTPServer;
  port = 0;
  /** Called the moment a mail is accepted, before the client hears the 250. */
  onAccept?: (m: CapturedMail) => void;
  private held?: { release: Promise<void>; open: () => void; count: number };

  /** Holds every new connection before its greeting until `release()` (a client waits mid-job). */
  hold(): void {
    let open!: () => void;
    this.held = { release: new Promise<void>((ok) => (open = ok)), open, count: 0 };
  }
  /** Connections waiting in `hold()`. */
  get heldConnections(): number {
    return this.held?.count ?? 0;
  }
  release(): void {
    this.held?.open();
    this.held = undefined;
  }

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, cb) => {
        const held = this.held;
        if (!held) return cb();
        held.count++;
        void held.release.then(() => cb());
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          const mail: CapturedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId ?? '',
            raw,
            parsed,
          };
          const refusal = this.refusals.find((r) => r.times > 0 && r.pred(mail));
          if (refusal) {
            refusal.times--;
            return cb(
              Object.assign(new Error('try again later (test sink)'), { responseCode: 451 }),
            );
          }
          this.mails.push(mail);
          this.onAccept?.(mail);
          cb();
        });
      },
    });
  }

  async start(): Promise<this> {
    // A client killed mid-session (SIGKILL tests) resets its connection: not the sink's failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until a mail matching `pred` has arrived. */
  async waitForMail(pred: (m: CapturedMail) => boolean, timeoutMs = 20_000): Promise<CapturedMail> {
    return waitFor(() => this.mails.find(pred), { timeoutMs, what: 'a mail in the SMTP sink' });
  }

  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}
