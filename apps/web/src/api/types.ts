/**
 * The API's shapes as the web app reads them (issue 3 §7; libs/tickets ticket.types.ts, libs/identity).
 * The OpenAPI document does not describe response bodies, so these are checked by the browser tests.
 */
import type { CalendarDocument } from '@app/business-hours';
import type { SlaPolicy } from '@app/sla';

export type Severity = 1 | 2 | 3;
export type Role = 'customer' | 'customer_admin' | 'agent' | 'manager' | 'admin';
export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  supportLevel: number | null;
  securityClearance: boolean;
  active?: boolean;
  /** Not sent by the API today: the browser's zone is used. */
  timeZone?: string | null;
  /** From GET /api/auth/me: what the signed-in user must still set up. */
  twoFactorEnabled?: boolean;
  twoFactorRequired?: boolean;
  passwordChangeRequired?: boolean;
}

/** POST /api/auth/login: a session, or for a user with 2FA the challenge a code completes. */
export type LoginAnswer =
  | { token: string; user: User; expiresAt: string }
  | { twoFactor: 'required'; challenge: string; expiresAt: string };

export interface TwoFactorStatus {
  enabled: boolean;
  method: 'totp' | null;
  since: string | null;
  recoveryCodesLeft: number;
  required: boolean;
}

export interface TwoFactorEnrolment {
  secret: string;
  otpauthUri: string;
  /** A PNG data URL. */
  qrCode: string;
}

export interface SessionInfo {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  endsAt: string;
  userAgent: string | null;
  clientAddress: string | null;
}

/** GET /api/admin/two-factor: one user's 2FA. */
export interface TwoFactorRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  organizationId: string | null;
  organizationName: string | null;
  enabled: boolean;
  method: 'totp' | null;
  since: string | null;
  required: boolean;
  recoveryCodesLeft: number;
}

export interface OrganisationSecurity {
  organizationId: string;
  requireTwoFactor: boolean;
  sessionIdleMinutes: number | null;
  sessionMaxHours: number | null;
}

export interface Target {
  metric: string;
  /** 1, 2, …: next response a round per customer message, periodic update one per update, resolution one per reopening. */
  round?: number;
  clock?: string;
  targetSeconds?: number;
  startedAt?: string;
  /** null while paused. */
  dueAt: string | null;
  warningAt: string | null;
  /** running | paused | met | breached | stopped */
  state: string;
  stoppedAt?: string | null;
  /** Since when the clock is paused (the ticket waits on the customer). */
  pausedAt?: string | null;
  /** Seconds of the target left when it was paused. */
  leftSeconds?: number | null;
  /** Seconds the clock spent paused (the due time moved by them). */
  pausedSeconds?: number;
  version?: number;
}

export type TicketKind = 'standard' | 'data_protection_request' | 'security_incident';

export interface Message {
  id: string;
  ticketId: string;
  /** 1, 2, … in the order the ticket's messages were stored. */
  seq: number;
  authorId: string | null;
  authorName: string | null;
  authorRole: Role | null;
  body: string;
  visibility: 'public' | 'internal';
  automatic: boolean;
  channel: string;
  /** The id the chat client gave the message (chat messages only). */
  clientMessageId: string | null;
  createdAt: string;
  /** Files sent with the message; they take its visibility. */
  attachments?: Attachment[];
}

export interface HistoryEntry {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  actorId: string | null;
  at: string;
}

export interface Ticket {
  id: string;
  reference: string;
  subject: string;
  description: string;
  severity: Severity;
  status: TicketStatus;
  supportLevel: number;
  channel: string;
  /** standard unless a data-protection request or a security incident. */
  kind?: TicketKind;
  sensitive: boolean;
  /** The content is withheld from this viewer (OFFICIAL-SENSITIVE, no clearance). */
  restricted: boolean;
  requesterId: string;
  requesterEmail: string;
  organizationId: string;
  organizationName: string;
  assigneeId: string | null;
  receivedAt: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  targets: Target[];
  messages?: Message[];
  /** Files of the description (the mail that opened the ticket). */
  attachments?: Attachment[];
  history?: HistoryEntry[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Alarm {
  id: string;
  ticketId: string;
  /** The ticket's reference and subject (the subject is a placeholder for sensitive tickets and uncleared staff). */
  reference: string;
  subject: string;
  metric: string;
  kind: 'warning' | 'breach';
  dueAt: string;
  firedAt: string;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string | null;
  source: 'web' | 'email';
  /** The message the file came with; null: the description. */
  messageId: string | null;
  /** Internal files are for staff only. */
  visibility: 'public' | 'internal';
  uploadedBy: string | null;
  createdAt: string;
  available: boolean;
}

export interface Organisation {
  id: string;
  name: string;
  policyId: string;
  principalUserId: string | null;
  emailDomains: string[];
  /** Severity of an e-mail whose subject has no tag. */
  defaultSeverity: Severity;
}

export interface PolicyRecord {
  id: string;
  name: string;
  document: SlaPolicy;
  /** The calendar the policy follows (saving that calendar changes the policy's hours); null: its own hours. */
  calendarId: string | null;
  updatedAt: string;
}

export interface CalendarRecord {
  id: string;
  name: string;
  document: CalendarDocument;
  updatedAt: string;
}

/** A support chat (GET /api/chats/:id); its ticket is `ticketId`. */
export interface Chat {
  ticketId: string;
  reference: string;
  subject: string;
  severity: Severity;
  sensitive: boolean;
  status: TicketStatus;
  supportLevel: number;
  organizationId: string;
  organizationName: string;
  requesterId: string;
  requesterName: string;
  mode: 'live' | 'message';
  state: 'waiting' | 'active' | 'ended';
  agentId: string | null;
  agentName: string | null;
  startedAt: string;
  takenAt: string | null;
  endedAt: string | null;
  opensAt: string | null;
  targets: Target[];
  lastMessage: { body: string; authorRole: Role | null; at: string } | null;
}

/** GET /api/chats/availability. */
export interface ChatAvailability {
  open: boolean;
  agentsAvailable: number;
  mode: 'live' | 'message';
  opensAt: string | null;
  timeZone: string;
}

/** GET /api/mail/inbound: a mail as it arrived and what was done with it. */
export interface InboundMail {
  id: string;
  source: 'smtp' | 'imap' | 'api';
  receivedAt: string;
  status: 'received' | 'filed' | 'review' | 'ignored';
  reason: string | null;
  senderKind: string | null;
  from: string | null;
  /** null when withheld (a mail of an OFFICIAL-SENSITIVE ticket, no clearance). */
  subject: string | null;
  size: number;
  ticketId: string | null;
  restricted: boolean;
}

/** GET /api/mail/inbound/:id: with its text, its sanitised HTML and its parts. */
export interface InboundMailDetail extends InboundMail {
  messageId: string | null;
  text: string | null;
  html: string | null;
  attachments: {
    id: string;
    filename: string;
    contentType: string;
    size: number;
    inline: boolean;
    tooLarge: boolean;
  }[];
}

/** One entry of the audit log (GET /api/admin/audit). */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  clientAddress: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  organizationId: string | null;
  ticketId: string | null;
  details: unknown;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  purged: number;
  brokenAt?: string;
  problem?: string;
}

/** Staff who have seen a ticket (GET /api/tickets/:id/viewers). */
export interface TicketViewer {
  userId: string;
  name: string | null;
  role: string;
  firstSeenAt: string;
  lastSeenAt: string;
  times: number;
}

export interface DeletionView {
  id: string;
  organizationId: string;
  organizationName: string;
  contractEndsOn: string;
  state: 'running' | 'done';
  step: string;
  stepsDone: number;
  steps: number;
  counts: Record<string, number>;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The last day by which the deletion must be complete; overdue when past it unfinished. */
  completeBy: string;
  overdue: boolean;
}

export interface ContractView {
  organizationId: string;
  contractEndsOn: string | null;
  deletionStartsOn: string | null;
  deletionCompleteBy: string | null;
  deletionOverdue: boolean;
  warnings: { kind: string; daysBefore: number; sentAt: string }[];
  deletion: DeletionView | null;
}

/** An issued revision of a quarterly report, as GET /api/reports lists it. */
export interface ReportRevision {
  id: string;
  organizationId: string;
  quarter: string;
  revision: number;
  issuedAt: string;
  checksum: string;
  /** How many figures changed against the revision before. */
  changes: number;
}

/** A quarterly report's delivery by mail (GET /api/reports/deliveries, admins). */
export interface ReportDelivery {
  id: string;
  organizationId: string;
  organizationName: string;
  quarter: string;
  dueAt: string;
  status: 'pending' | 'queued' | 'sent' | 'failed';
  reportId: string | null;
  revision: number | null;
  recipients: string[];
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

/** A correction of an incident's or a maintenance window's end, with its reason. */
export interface AvailabilityCorrection {
  field: string;
  from: string | null;
  to: string | null;
  reason: string;
  actorId: string | null;
  at: string;
}

/** An outage: a Severity 1 ticket's incident or one recorded without a ticket (GET /api/outages). */
export interface OutageView {
  id: string;
  /** `HD-000123` for a ticket's incident, `OUT-0001` otherwise. */
  reference: string;
  /** null: every organisation. */
  organizationId: string | null;
  ticketId: string | null;
  start: string | null;
  restoredAt: string | null;
  summary: string;
  corrections: AvailabilityCorrection[];
}

/** A planned maintenance window (GET /api/maintenance-windows). */
export interface MaintenanceView {
  id: string;
  reference: string;
  organizationId: string | null;
  start: string;
  end: string;
  announcedAt: string;
  actualStart: string;
  actualEnd: string;
  summary: string;
  corrections: AvailabilityCorrection[];
}
