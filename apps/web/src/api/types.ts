/**
 * The API's shapes as the web app uses them (issue 3 §7). Where the generated schema
 * (schema.d.ts, `npm run web:api-types`) describes a response loosely, these name what we read.
 */
import type { CalendarDocument } from '@app/business-hours';

export type Severity = 1 | 2 | 3;
export type Role = 'customer' | 'customer_admin' | 'agent' | 'manager' | 'admin';
export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface User {
  id: string;
  email: string;
  name?: string | null;
  displayName?: string | null;
  role: Role;
  organizationId?: string | null;
  supportLevel?: number | null;
  clearance?: boolean | null;
  cleared?: boolean | null;
  timeZone?: string | null;
}

export interface Target {
  metric: string;
  dueAt: string | null;
  warningAt: string | null;
  state: string;
  targetSeconds?: number;
  metAt?: string | null;
  stoppedAt?: string | null;
}

export interface Message {
  id: string;
  body: string | null;
  visibility: 'public' | 'internal';
  author?: { id?: string; name?: string | null; email?: string; role?: Role } | null;
  authorName?: string | null;
  createdAt: string;
  automatic?: boolean;
}

export interface HistoryEntry {
  id?: string;
  at?: string;
  createdAt?: string;
  kind?: string;
  type?: string;
  field?: string;
  from?: unknown;
  to?: unknown;
  reason?: string | null;
  actor?: { name?: string | null; email?: string } | null;
  actorName?: string | null;
  summary?: string;
  details?: unknown;
}

export interface Ticket {
  id: string;
  reference: string;
  subject: string | null;
  description?: string | null;
  severity: Severity;
  status: TicketStatus;
  supportLevel: number;
  channel?: string;
  sensitive?: boolean;
  restricted?: boolean;
  receivedAt: string;
  organizationId?: string;
  organization?: { id: string; name: string } | null;
  organizationName?: string | null;
  requester?: { id?: string; name?: string | null; email?: string } | null;
  assigneeId?: string | null;
  assignee?: { id: string; name?: string | null; email?: string } | null;
  targets: Target[];
  messages?: Message[];
  history?: HistoryEntry[];
  calendar?: CalendarDocument | null;
  policyId?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface Alarm {
  id?: string;
  ticketId: string;
  reference?: string;
  metric: string;
  kind: 'warning' | 'breach';
  dueAt: string;
  firedAt: string;
}

export interface Organisation {
  id: string;
  name: string;
  policyId?: string | null;
  policy?: { id: string; name: string } | null;
  principalUserId?: string | null;
  domains?: string[];
}

export interface PolicyRecord {
  id: string;
  name: string;
  calendarId?: string | null;
  document?: unknown;
  [key: string]: unknown;
}

export interface CalendarRecord {
  id: string;
  name: string;
  document?: CalendarDocument;
  calendar?: CalendarDocument;
  [key: string]: unknown;
}
