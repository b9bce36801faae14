// The stored events a report is computed from, as compact rows (UTC epoch ms).
import type { CalendarDocument } from '@app/business-hours';
import type { ContractTerms } from './terms';

export type Channel = 'email' | 'web' | 'phone' | 'chat' | 'api';
export type Status = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface Change<T> {
  at: number;
  from: T;
  to: T;
}

/** One ticket with the history the report reads. Changes are in time order. */
export interface TicketFacts {
  id: string;
  reference: string;
  policyId: string;
  receivedAt: number;
  channel: Channel;
  /** Severity now (at the cut-off). */
  severity: number;
  status: Status;
  supportLevel: number;
  severityChanges: Change<number>[];
  levelChanges: Change<number>[];
  statusChanges: Change<Status>[];
  /** Times of public, non-automatic replies by staff, in order. */
  staffReplies: number[];
  /** The first_response target row, if the ticket has one. */
  firstResponse: { dueAt: number; stoppedAt: number | null; state: string } | null;
  /** Severity 1 tickets: the incident's corrected start and the recorded restoration. */
  incidentStart?: number | null;
  restoredAt?: number | null;
}

/** An outage an admin recorded without a ticket. */
export interface OutageFacts {
  reference: string;
  start: number;
  restoredAt: number | null;
}

export interface MaintenanceFacts {
  reference: string;
  start: number;
  end: number;
  announcedAt: number;
  actualStart: number;
  actualEnd: number;
}

export interface ReportFacts {
  organizationId: string;
  quarter: string;
  /** The policy's calendar: its zone is the contract's zone; it times the tickets. */
  calendar: CalendarDocument;
  /** Calendars of other policies some tickets were raised under (by policy id). */
  calendars?: Record<string, CalendarDocument>;
  terms: ContractTerms;
  /** The cut-off: events after it are not known yet. */
  asOf: number;
  tickets: TicketFacts[];
  outages: OutageFacts[];
  maintenance: MaintenanceFacts[];
}

/** The value of a changing field at instant `at` (changes in time order). */
export function valueAt<T>(changes: Change<T>[], current: T, at: number): T {
  if (!changes.length) return current;
  let value = changes[0].from;
  for (const c of changes) {
    if (c.at > at) break;
    value = c.to;
  }
  return value;
}

export const DAY_MS = 86_400_000;
