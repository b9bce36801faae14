import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Settings of the e-mail channel, validated once at boot (the `MAIL_*`/`INBOUND_*`/`IMAP_*` variables).
 * `loadMailConfig(env)` is called by the config layer with the environment; nothing here reads it.
 */
export class MailConfig {
  /** The support address customers write to; Reply-To of everything we send. */
  @IsEmail({}, { message: 'MAIL_SUPPORT_ADDRESS must be an e-mail address' })
  MAIL_SUPPORT_ADDRESS = 'support@helpdesk.local';

  /** Comma-separated addresses the SMTP listener accepts (plus `local+HD-000123@` variants). Default: the support address. */
  @IsOptional()
  @Matches(/^\s*[^,\s]+@[^,\s]+(\s*,\s*[^,\s]+@[^,\s]+)*\s*$/, {
    message: 'MAIL_ACCEPTED_RECIPIENTS must be a comma-separated list of addresses',
  })
  MAIL_ACCEPTED_RECIPIENTS?: string;

  /** 0 disables the SMTP listener. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MAIL_SMTP_PORT = 0;

  @IsString()
  MAIL_SMTP_HOST = '0.0.0.0';

  /** PEM files; STARTTLS is offered when both are given. */
  @IsOptional()
  @IsString()
  MAIL_SMTP_TLS_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  MAIL_SMTP_TLS_CERT_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAIL_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAIL_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

  /** What a mail from a sender no organisation knows does: open a ticket for triage, or get a polite refusal. */
  @IsIn(['triage', 'refuse'])
  MAIL_UNKNOWN_SENDER: 'triage' | 'refuse' = 'triage';

  /** At most this many acknowledgements to one sender per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAIL_ACKS_PER_SENDER_PER_HOUR = 5;

  /** Bearer token of `POST /api/inbound/mime`; the endpoint is off without one. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'INBOUND_MIME_TOKEN must be at least 16 characters' })
  INBOUND_MIME_TOKEN?: string;

  /** `imap://user:pass@host:port` or `imaps://…`; the poller is off without one. */
  @IsOptional()
  @Matches(/^imaps?:\/\/.+/, { message: 'IMAP_URL must be an imap:// or imaps:// URL' })
  IMAP_URL?: string;

  @IsString()
  IMAP_MAILBOX = 'INBOX';

  @IsString()
  IMAP_PROCESSED_MAILBOX = 'Processed';

  /** Poll interval when the server has no IDLE (and a safety net when it has). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  IMAP_POLL_MS = 30_000;

  /** Accept self-signed IMAP certificates (test servers). */
  @Transform(toBool)
  @IsBoolean()
  IMAP_TLS_INSECURE = false;

  /**
   * Mails filed at the same time by one worker. They share their statements, so more at once costs
   * less per mail (the mail bench: 8 → ~200/s, 32 → ~300/s, 64 → ~380/s); each holds its mail in
   * memory while it is filed.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_INBOUND_CONCURRENCY = 32;

  get acceptedRecipients(): string[] {
    const list = (this.MAIL_ACCEPTED_RECIPIENTS ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    return list.length ? list : [this.MAIL_SUPPORT_ADDRESS.toLowerCase()];
  }

  /** Local parts that take `+HD-000123` suffixes. */
  get supportLocalParts(): string[] {
    return [...new Set(this.acceptedRecipients.map((a) => a.split('@')[0]))];
  }
}

export class MailConfigError extends Error {}

export function loadMailConfig(env: Record<string, string | undefined> = process.env): MailConfig {
  const known = Object.keys(new MailConfig()).concat([
    'MAIL_ACCEPTED_RECIPIENTS',
    'MAIL_SMTP_TLS_KEY_FILE',
    'MAIL_SMTP_TLS_CERT_FILE',
    'INBOUND_MIME_TOKEN',
    'IMAP_URL',
  ]);
  const given: Record<string, string> = {};
  for (const key of known)
    if (env[key] !== undefined && env[key] !== '') given[key] = env[key] as string;
  const config = plainToInstance(MailConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config);
  if (!!config.MAIL_SMTP_TLS_KEY_FILE !== !!config.MAIL_SMTP_TLS_CERT_FILE) {
    throw new MailConfigError(
      'Invalid mail configuration:\n  MAIL_SMTP_TLS_KEY_FILE and MAIL_SMTP_TLS_CERT_FILE must be given together',
    );
  }
  if (errors.length) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new MailConfigError(`Invalid mail configuration:\n${lines.join('\n')}`);
  }
  return config;
}
