/** Every call the web app makes, in one place, named as the API names them (issue 3 §7). */
import { http, query } from './http';
import type { Alarm, CalendarRecord, Organisation, Page, PolicyRecord, Severity, Ticket, User } from './types';

export interface TicketFilter {
  view?: 'unassigned' | 'mine' | 'breaching' | '';
  supportLevel?: number | '';
  severity?: number | '';
  status?: string;
  organizationId?: string;
  cursor?: string | null;
  limit?: number;
}

/** Lists come as a bare array or as {items|data, nextCursor}; both read the same here. */
function page<T>(raw: unknown): Page<T> {
  if (Array.isArray(raw)) return { items: raw as T[], nextCursor: null };
  const r = (raw ?? {}) as { items?: T[]; data?: T[]; tickets?: T[]; nextCursor?: string | null; cursor?: string | null };
  return { items: r.items ?? r.data ?? r.tickets ?? [], nextCursor: r.nextCursor ?? r.cursor ?? null };
}

const list = <T,>(raw: unknown): T[] => page<T>(raw).items;

export const api = {
  tickets: {
    list: async (f: TicketFilter) => page<Ticket>(await http.get(`/api/tickets${query({ ...f })}`)),
    get: (id: string) => http.get<Ticket>(`/api/tickets/${encodeURIComponent(id)}`),
    create: (body: { subject: string; description: string; severity: Severity; sensitive?: boolean; receivedAt?: string; channel?: string; requesterEmail?: string; organizationId?: string }) =>
      http.post<Ticket>('/api/tickets', body),
    update: (id: string, body: { severity?: Severity; status?: string; assigneeId?: string | null }) => http.patch<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, body),
    reply: (id: string, body: { body: string; visibility: 'public' | 'internal' }) => http.post<unknown>(`/api/tickets/${encodeURIComponent(id)}/messages`, body),
    escalate: (id: string, body: { toLevel: number; reason: string }) => http.post<unknown>(`/api/tickets/${encodeURIComponent(id)}/escalations`, body),
  },
  alarms: async (ticketId?: string) => list<Alarm>(await http.get(`/api/alarms${query({ ticketId })}`)),
  slaPreview: (body: Record<string, unknown>) => http.post<SlaPreview>('/api/sla/preview', body),
  organisations: {
    list: async () => list<Organisation>(await http.get('/api/admin/organizations')),
    create: (body: Record<string, unknown>) => http.post<Organisation>('/api/admin/organizations', body),
    update: (id: string, body: Record<string, unknown>) => http.patch<Organisation>(`/api/admin/organizations/${id}`, body),
  },
  users: {
    list: async (params: Record<string, string | undefined> = {}) => list<User>(await http.get(`/api/admin/users${query(params)}`)),
    create: (body: Record<string, unknown>) => http.post<User>('/api/admin/users', body),
    update: (id: string, body: Record<string, unknown>) => http.patch<User>(`/api/admin/users/${id}`, body),
  },
  policies: {
    list: async () => list<PolicyRecord>(await http.get('/api/admin/policies')),
    create: (body: Record<string, unknown>) => http.post<PolicyRecord>('/api/admin/policies', body),
    update: (id: string, body: Record<string, unknown>) => http.put<PolicyRecord>(`/api/admin/policies/${id}`, body),
  },
  calendars: {
    list: async () => list<CalendarRecord>(await http.get('/api/admin/calendars')),
    create: (body: Record<string, unknown>) => http.post<CalendarRecord>('/api/admin/calendars', body),
    update: (id: string, body: Record<string, unknown>) => http.patch<CalendarRecord>(`/api/admin/calendars/${id}`, body),
    importBankHolidays: (id: string, json: unknown, division: string) => http.post<CalendarRecord & { added: number }>(`/api/admin/calendars/${id}/bank-holidays`, { json, division }),
  },
};

/** POST /api/sla/preview {policyId, severity, receivedAt}. */
export interface SlaPreview {
  policyId: string;
  policy: string;
  severity: number;
  receivedAt: string;
  targets: Array<{ metric: string; clock: string; targetSeconds: number; dueAt: string; warningAt: string | null; steps: string[] }>;
}
