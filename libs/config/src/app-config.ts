import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { LOG_LEVELS, type LogLevel } from './logging';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Every setting of the api and the worker, read once from the environment and validated at boot.
 * Only this module reads `process.env` (see `loadConfig`).
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/helpdesk';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** BullMQ key prefix; tests use their own so that they never see another run's jobs. */
  @Matches(/^[A-Za-z0-9_-]+$/, {
    message: 'QUEUE_PREFIX may hold letters, digits, "_" and "-" only',
  })
  QUEUE_PREFIX = 'helpdesk';

  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsEmail({}, { message: 'MAIL_FROM must be an e-mail address' })
  MAIL_FROM = 'helpdesk@helpdesk.local';

  /** Comma-separated extra addresses for alarm mails (the admin users always get them). */
  @IsOptional()
  @Matches(/^\s*[^,\s]+@[^,\s]+(\s*,\s*[^,\s]+@[^,\s]+)*\s*$/, {
    message: 'ADMIN_ALERT_EMAILS must be a comma-separated list of e-mail addresses',
  })
  ADMIN_ALERT_EMAILS?: string;

  /** Comma-separated origins of customers' own sites that may show the support chat in a frame (/embed/chat); unset: none. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^,\s/]+(\s*,\s*https?:\/\/[^,\s/]+)*\s*$/, {
    message:
      'CHAT_EMBED_ORIGINS must be a comma-separated list of origins such as https://intranet.example',
  })
  CHAT_EMBED_ORIGINS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Address the api (and the worker's /health) listens on; unset: every interface, as Node does. */
  @IsOptional()
  @Matches(
    /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\]?|[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*)$/,
    {
      message: 'HOST must be an IP address or a host name, e.g. 127.0.0.1, ::, localhost',
    },
  )
  HOST?: string;

  /** Lowest level of the JSON log lines written to stdout. */
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** How many api processes to run on PORT (Node cluster); the api is stateless. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES = 1;

  /** Port of the worker's /health and /metrics server. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  @IsString()
  PUBLIC_URL = 'http://localhost:3000';

  /** Staff sessions end after this long without a request (idle time-out). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_IDLE_MINUTES_STAFF = 30;

  /** Staff sessions end this long after sign-in, however busy (absolute time-out). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_MAX_HOURS_STAFF = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_IDLE_MINUTES_CUSTOMER = 480;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_MAX_HOURS_CUSTOMER = 168;

  /**
   * Per role, optional: the idle (minutes) and absolute (hours) time-outs of one role instead of its
   * group's (admin, manager, agent: the STAFF ones; customer admin: the CUSTOMER ones, which are the
   * customer role's own).
   */
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_IDLE_MINUTES_ADMIN?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_MAX_HOURS_ADMIN?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_IDLE_MINUTES_MANAGER?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_MAX_HOURS_MANAGER?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_IDLE_MINUTES_AGENT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_MAX_HOURS_AGENT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_IDLE_MINUTES_CUSTOMER_ADMIN?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) SESSION_MAX_HOURS_CUSTOMER_ADMIN?: number;

  /** Whether the session cookie carries `Secure` (behind HTTPS); it does anyway when PUBLIC_URL is https. */
  @Transform(toBool)
  @IsBoolean()
  COOKIE_SECURE = false;

  /**
   * Key (32 bytes, base64) that encrypts the TOTP secrets in the database (AES-256-GCM). Required in
   * production; elsewhere unset means the key in TOTP_KEY_FILE (made once), see `totpEncryptionKey`.
   */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.TOTP_ENCRYPTION_KEY !== undefined)
  @IsDefined({
    message:
      'TOTP_ENCRYPTION_KEY is required when NODE_ENV=production (32 bytes in base64: openssl rand -base64 32)',
  })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'TOTP_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  TOTP_ENCRYPTION_KEY?: string;

  /** Outside production, without TOTP_ENCRYPTION_KEY: the file holding the key, made once (keep it). */
  @IsString()
  TOTP_KEY_FILE = '.data/totp.key';

  /** The issuer an authenticator app shows beside the code. */
  @IsString()
  TOTP_ISSUER = 'Helpdesk';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /**
   * Which proxies in front of the api to believe about the client's address (X-Forwarded-For), as
   * Express's `trust proxy`: a hop count ("1"), "loopback", or addresses/CIDRs separated by commas.
   * Unset: the socket's address, which behind a proxy is the proxy's for every client.
   */
  @IsOptional()
  @Matches(
    /^(\d+|true|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*)$/,
    {
      message:
        'TRUST_PROXY must be a hop count, "true", "loopback", or addresses/CIDRs separated by commas',
    },
  )
  TRUST_PROXY?: string;

  /** Failed logins from one client address (any e-mails) before that address is locked out too. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCK_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  RECONCILE_INTERVAL_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  ALARM_CONCURRENCY = 50;

  /** The worker issues and mails each quarter's reports on the first business day after it (false: never). */
  @Transform(toBool)
  @IsBoolean()
  REPORT_DELIVERY = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_BACKOFF_MS = 2000;

  /** Repeated reads of one object by one staff member within this many seconds are one audit entry. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_READ_DEDUP_SECONDS = 300;

  /** Audit entries of an ended organisation younger than this are kept when its data is deleted. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUDIT_LEGAL_KEEP_DAYS = 0;

  /** Days after the contract end when the deletion of an organisation's data starts. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CONTRACT_DELETION_AFTER_DAYS = 30;

  /** Days before the contract end (and before the deletion) when the admins are warned, comma-separated. */
  @Matches(/^\s*\d+(\s*,\s*\d+)*\s*$/, {
    message: 'CONTRACT_WARNING_DAYS must be whole days separated by commas, such as 30,7,1',
  })
  CONTRACT_WARNING_DAYS = '30,7,1';

  /** How often the worker looks for contracts to warn about or organisations to delete. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  CONTRACT_CHECK_INTERVAL_MS = 3_600_000;

  /** Rows the deletion job removes per transaction (a killed worker redoes at most one batch). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DELETION_BATCH_SIZE = 200;

  /** Pause between two deletion batches, to spare the database (0: none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  DELETION_BATCH_PAUSE_MS = 0;

  /** The built web app; served by the api when the folder exists. */
  @IsString()
  WEB_DIST = 'apps/web/dist';

  @IsEmail({}, { message: 'SEED_ADMIN_EMAIL must be an e-mail address' })
  SEED_ADMIN_EMAIL = 'admin@helpdesk.local';

  @IsString()
  SEED_ADMIN_PASSWORD = 'admin-password';

  /** `Secure` on the session cookie: asked for, or the helpdesk is served over HTTPS. */
  get cookieSecure(): boolean {
    return this.COOKIE_SECURE || /^https:/i.test(this.PUBLIC_URL);
  }

  /** Idle (minutes) and absolute (hours) session time-outs of each role: its own, or its group's. */
  get sessionTimeoutsByRole(): Record<
    'admin' | 'manager' | 'agent' | 'customer_admin' | 'customer',
    { idleMinutes: number; maxHours: number }
  > {
    const staff = { idle: this.SESSION_IDLE_MINUTES_STAFF, max: this.SESSION_MAX_HOURS_STAFF };
    const customer = {
      idle: this.SESSION_IDLE_MINUTES_CUSTOMER,
      max: this.SESSION_MAX_HOURS_CUSTOMER,
    };
    const of = (group: typeof staff, idle?: number, max?: number) => ({
      idleMinutes: idle ?? group.idle,
      maxHours: max ?? group.max,
    });
    return {
      admin: of(staff, this.SESSION_IDLE_MINUTES_ADMIN, this.SESSION_MAX_HOURS_ADMIN),
      manager: of(staff, this.SESSION_IDLE_MINUTES_MANAGER, this.SESSION_MAX_HOURS_MANAGER),
      agent: of(staff, this.SESSION_IDLE_MINUTES_AGENT, this.SESSION_MAX_HOURS_AGENT),
      customer_admin: of(
        customer,
        this.SESSION_IDLE_MINUTES_CUSTOMER_ADMIN,
        this.SESSION_MAX_HOURS_CUSTOMER_ADMIN,
      ),
      customer: of(customer),
    };
  }

  /** The domain in our Message-IDs. */
  get mailDomain(): string {
    return this.MAIL_FROM.split('@')[1];
  }

  /** HOST without IPv6 brackets, as `listen` takes it. */
  get listenHost(): string | undefined {
    return this.HOST?.replace(/^\[(.*)\]$/, '$1');
  }

  get contractWarningDays(): number[] {
    return this.CONTRACT_WARNING_DAYS.split(',').map((d) => Number(d.trim()));
  }

  get adminAlertEmails(): string[] {
    return (this.ADMIN_ALERT_EMAILS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

export class ConfigError extends Error {}

/** Reads and validates the settings; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const given: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const config = plainToInstance(AppConfig, given, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(given[e.property] ?? e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
