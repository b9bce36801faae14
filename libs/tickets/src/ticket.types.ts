import type { TicketKind } from '@app/sla';
import type { AttachmentView } from './attachments';

export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];
export const CHANNELS = ['web', 'email', 'phone', 'api', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels a ticket may be raised with through POST /api/tickets (chats come through the chat API). */
export const FORM_CHANNELS = ['web', 'api', 'phone', 'email'] as const;
/** The channels a customer may name for a ticket they raise themselves. */
export const CUSTOMER_CHANNELS: readonly Channel[] = ['web', 'api', 'chat'];
/** The kinds a customer may file themselves (staff may set any kind). */
export const CUSTOMER_KINDS: readonly TicketKind[] = ['standard', 'data_protection_request'];
export const VISIBILITIES = ['public', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** Statuses in which no clock runs. */
export const STOPPED_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

export const LIMITS = { subject: 200, description: 65_536, body: 65_536 } as const;
/** Shown instead of the content of a sensitive ticket to staff without security clearance. */
export const RESTRICTED_TEXT = '[OFFICIAL-SENSITIVE: content shown to cleared staff only]';

export interface TargetView {
  metric: string;
  /** 1, 2, …: next response has a round a customer message, periodic update one an update, resolution one a reopening. */
  round: number;
  clock: string;
  targetSeconds: number;
  startedAt: string;
  /** null while paused. */
  dueAt: string | null;
  warningAt: string | null;
  /** running | paused (waiting on the customer) | met | breached | stopped (ticket closed before the target was met). */
  state: string;
  stoppedAt: string | null;
  /** Since when the clock is paused (status pending). */
  pausedAt: string | null;
  /** Seconds of the target left when it was paused. */
  leftSeconds: number | null;
  /** Seconds of the clock spent paused so far (the due time moved by them). */
  pausedSeconds: number;
  version: number;
}

export interface MessageView {
  id: string;
  ticketId: string;
  /** 1, 2, … in the order the ticket's messages were stored (a live client resumes after one). */
  seq: number;
  authorId: string | null;
  authorName: string | null;
  authorRole: string | null;
  body: string;
  visibility: Visibility;
  automatic: boolean;
  channel: string;
  /** The id the chat client gave the message (chat messages only). */
  clientMessageId: string | null;
  createdAt: string;
  /** The files sent with the message (on a ticket read with its messages). */
  attachments?: AttachmentView[];
}

export interface HistoryView {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  actorId: string | null;
  at: string;
}

export interface TicketView {
  id: string;
  reference: string;
  subject: string;
  description: string;
  status: TicketStatus;
  severity: 1 | 2 | 3;
  supportLevel: 1 | 2 | 3;
  channel: Channel;
  /** standard, data_protection_request or security_incident (their own calendar-time targets). */
  kind: TicketKind;
  sensitive: boolean;
  /** True when the content is hidden from the caller (sensitive ticket, no clearance). */
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
  targets: TargetView[];
  messages?: MessageView[];
  /** Files of the description (the mail that opened the ticket): public. */
  attachments?: AttachmentView[];
  history?: HistoryView[];
}

export const reference = (n: number | string) => `HD-${String(n).padStart(6, '0')}`;
export const iso = (d: Date | string | null | undefined) =>
  d == null ? null : new Date(d).toISOString();
