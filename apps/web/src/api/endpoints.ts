/**
 * Every call the web app makes, through openapi-fetch typed by schema.d.ts (generated from the
 * API's OpenAPI document by `npm run web:api-types`): a renamed path, field or enum in the API
 * fails the web app's type check. The OpenAPI document describes requests, not response bodies,
 * so responses are read as the types in ./types.
 */
import createClient from 'openapi-fetch';
import { unwrap } from './http';
import type { components, paths } from './schema';
import type { CalendarDocument } from '@app/business-hours';
import type { SlaPolicy } from '@app/sla';
import type { IssuedReport, QuarterlyReport } from '@app/report-figures';
import type {
  AuditEntry,
  ChainVerdict,
  ContractView,
  DeletionView,
  TicketViewer,
  Alarm,
  Attachment,
  CalendarRecord,
  Chat,
  ChatAvailability,
  LoginAnswer,
  OrganisationSecurity,
  SessionInfo,
  TwoFactorEnrolment,
  TwoFactorRow,
  TwoFactorStatus,
  InboundMail,
  InboundMailDetail,
  Organisation,
  Page,
  PolicyRecord,
  Role,
  ReportDelivery,
  ReportRevision,
  Ticket,
  User,
  OutageView,
  MaintenanceView,
} from './types';

type Schemas = components['schemas'];
export type CreateTicket = Schemas['CreateTicketDto'];
export type UpdateTicket = Schemas['UpdateTicketDto'];
export type CreateUser = Schemas['CreateUserDto'];
export type UpdateUser = Schemas['UpdateUserDto'];
export type CreateOrganisation = Schemas['CreateOrganizationDto'];
export type UpdateOrganisation = Schemas['UpdateOrganizationDto'];
// Free-form documents are objects of any keys in the generated schema: the web app sends the libs' own document types.
export type PolicyBody = {
  document: Omit<SlaPolicy, 'calendar'> & { calendar?: CalendarDocument };
  calendarId?: string | null;
};
export type NewMessage = NonNullable<
  paths['/api/tickets/{id}/messages']['post']['requestBody']
>['content']['application/json'];
export type TicketFilter = NonNullable<paths['/api/tickets']['get']['parameters']['query']>;

const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/**
 * The embedded chat signs in with a bearer token (a third-party frame may get no cookie); everything
 * else rides on the session cookie.
 */
let bearer: string | null = null;
export function setBearer(token: string | null): void {
  bearer = token;
}
export const authHeaders = (): Record<string, string> =>
  bearer ? { authorization: `Bearer ${bearer}` } : {};
client.use({
  onRequest({ request }) {
    if (bearer) request.headers.set('authorization', `Bearer ${bearer}`);
    return request;
  },
});

const chatPath = (id: string) => ({ params: { path: { id } } });
export type AuditQuery = NonNullable<paths['/api/admin/audit']['get']['parameters']['query']>;
const clean = (q: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(q)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );

export const api = {
  auth: {
    login: (body: Schemas['LoginDto']) =>
      unwrap<LoginAnswer>(client.POST('/api/auth/login', { body })),
    secondFactor: (body: Schemas['SecondFactorDto']) =>
      unwrap<{ token: string; user: User; expiresAt: string }>(
        client.POST('/api/auth/login/two-factor', { body }),
      ),
    me: () => unwrap<User>(client.GET('/api/auth/me')),
    logout: () => unwrap<void>(client.POST('/api/auth/logout')),
    changePassword: (body: Schemas['ChangePasswordDto']) =>
      unwrap<void>(client.POST('/api/auth/password', { body })),
    twoFactor: {
      status: () => unwrap<TwoFactorStatus>(client.GET('/api/auth/two-factor')),
      start: () => unwrap<TwoFactorEnrolment>(client.POST('/api/auth/two-factor/enrolment')),
      confirm: (body: Schemas['CodeDto']) =>
        unwrap<{ recoveryCodes: string[] }>(
          client.POST('/api/auth/two-factor/enrolment/confirm', { body }),
        ),
      recoveryCodes: (body: Schemas['CodeDto']) =>
        unwrap<{ recoveryCodes: string[] }>(
          client.POST('/api/auth/two-factor/recovery-codes', { body }),
        ),
      disable: (body: Schemas['DisableTwoFactorDto']) =>
        unwrap<void>(client.POST('/api/auth/two-factor/disable', { body })),
    },
    sessions: {
      list: () => unwrap<SessionInfo[]>(client.GET('/api/auth/sessions')),
      end: (id: string) =>
        unwrap<void>(client.DELETE('/api/auth/sessions/{id}', { params: { path: { id } } })),
      endOthers: () => unwrap<{ ended: number }>(client.DELETE('/api/auth/sessions')),
    },
  },
  security: {
    overview: () => unwrap<TwoFactorRow[]>(client.GET('/api/admin/two-factor')),
    /** The CSV export, for a plain link (the session cookie goes with it). */
    exportUrl: '/api/admin/two-factor/export',
    roles: () => unwrap<{ roles: Role[] }>(client.GET('/api/admin/two-factor/roles')),
    setRoles: (roles: Role[]) =>
      unwrap<{ roles: Role[] }>(client.PUT('/api/admin/two-factor/roles', { body: { roles } })),
    organisation: (id: string) =>
      unwrap<OrganisationSecurity>(
        client.GET('/api/admin/organizations/{id}/security', { params: { path: { id } } }),
      ),
    setOrganisation: (id: string, body: Schemas['OrganizationSecurityDto']) =>
      unwrap<OrganisationSecurity>(
        client.PUT('/api/admin/organizations/{id}/security', { params: { path: { id } }, body }),
      ),
    resetTwoFactor: (id: string) =>
      unwrap<void>(
        client.POST('/api/admin/users/{id}/two-factor/reset', { params: { path: { id } } }),
      ),
    endSessions: (id: string) =>
      unwrap<{ ended: number }>(
        client.DELETE('/api/admin/users/{id}/sessions', { params: { path: { id } } }),
      ),
  },
  tickets: {
    list: (query: TicketFilter) =>
      unwrap<Page<Ticket>>(client.GET('/api/tickets', { params: { query } })),
    get: (id: string) =>
      unwrap<Ticket>(client.GET('/api/tickets/{id}', { params: { path: { id } } })),
    create: (body: CreateTicket) => unwrap<Ticket>(client.POST('/api/tickets', { body })),
    update: (id: string, body: UpdateTicket) =>
      unwrap<Ticket>(client.PATCH('/api/tickets/{id}', { params: { path: { id } }, body })),
    /** A reply or note; with files it goes as multipart and the files take its visibility. */
    reply: (id: string, body: NewMessage, files: File[] = []) => {
      const form = new FormData();
      if (body.body) form.append('body', body.body);
      form.append('visibility', body.visibility);
      for (const f of files) form.append('files', f, f.name);
      return unwrap<unknown>(
        client.POST('/api/tickets/{id}/messages', {
          params: { path: { id } },
          body,
          ...(files.length ? { bodySerializer: () => form } : {}),
        }),
      );
    },
    attachments: (id: string) =>
      unwrap<Attachment[]>(
        client.GET('/api/tickets/{id}/attachments', { params: { path: { id } } }),
      ),
    /** Files without words (public), e.g. with a new ticket. Multipart: the browser sets the boundary. */
    attach: (id: string, files: File[]) => {
      const form = new FormData();
      for (const f of files) form.append('files', f, f.name);
      return unwrap<Attachment[]>(
        client.POST('/api/tickets/{id}/attachments', {
          params: { path: { id } },
          body: { files: [] },
          bodySerializer: () => form,
        }),
      );
    },
    escalate: (id: string, body: Schemas['EscalationDto']) =>
      unwrap<unknown>(
        client.POST('/api/tickets/{id}/escalations', { params: { path: { id } }, body }),
      ),
  },
  chats: {
    availability: (sensitive = false) =>
      unwrap<ChatAvailability>(
        client.GET('/api/chats/availability', { params: { query: { sensitive } } }),
      ),
    open: (body: Schemas['OpenChatDto']) => unwrap<Chat>(client.POST('/api/chats', { body })),
    list: (view?: 'waiting' | 'mine') =>
      unwrap<Chat[]>(client.GET('/api/chats', { params: { query: view ? { view } : {} } })),
    get: (id: string) => unwrap<Chat>(client.GET('/api/chats/{id}', chatPath(id))),
    send: (id: string, body: Schemas['ChatMessageDto']) =>
      unwrap<{ id: string; seq: number; createdAt: string }>(
        client.POST('/api/chats/{id}/messages', { ...chatPath(id), body }),
      ),
    take: (id: string) => unwrap<Chat>(client.POST('/api/chats/{id}/take', chatPath(id))),
    handOver: (id: string, body: Schemas['HandOverDto']) =>
      unwrap<Chat>(client.POST('/api/chats/{id}/handover', { ...chatPath(id), body })),
    end: (id: string) => unwrap<Chat>(client.POST('/api/chats/{id}/end', chatPath(id))),
    agents: (id: string) =>
      unwrap<{ id: string; name: string; supportLevel: number | null }[]>(
        client.GET('/api/chats/{id}/agents', chatPath(id)),
      ),
    session: (token: string) =>
      unwrap<{ token: string; expiresAt: string; user: User }>(
        client.POST('/api/chats/sessions', { body: { token } }),
      ),
  },
  reports: {
    quarterly: (organizationId: string, quarter: string) =>
      unwrap<QuarterlyReport>(
        client.GET('/api/reports/quarterly', { params: { query: { organizationId, quarter } } }),
      ),
    issue: (body: Schemas['IssueReportDto']) =>
      unwrap<IssuedReport>(client.POST('/api/reports/quarterly/issue', { body })),
    deliveries: () => unwrap<ReportDelivery[]>(client.GET('/api/reports/deliveries')),
    revisions: (organizationId: string, quarter?: string) =>
      unwrap<ReportRevision[]>(
        client.GET('/api/reports', { params: { query: { organizationId, quarter } } }),
      ),
  },
  availability: {
    /** POST /api/tickets/:id/restoration: service restored on a Severity 1 ticket (kept in its history). */
    restore: (ticketId: string, restoredAt: string) =>
      unwrap<OutageView>(
        client.POST('/api/tickets/{id}/restoration', {
          params: { path: { id: ticketId } },
          body: { restoredAt },
        }),
      ),
    outages: (organizationId?: string) =>
      unwrap<OutageView[]>(
        client.GET('/api/outages', {
          params: { query: organizationId ? { organizationId } : {} },
        }),
      ),
    createOutage: (body: Schemas['NewOutageDto']) =>
      unwrap<OutageView>(client.POST('/api/outages', { body })),
    correctOutage: (id: string, body: Schemas['IncidentCorrectionDto']) =>
      unwrap<OutageView>(client.PATCH('/api/outages/{id}', { params: { path: { id } }, body })),
    windows: (organizationId?: string) =>
      unwrap<MaintenanceView[]>(
        client.GET('/api/maintenance-windows', {
          params: { query: organizationId ? { organizationId } : {} },
        }),
      ),
    createWindow: (body: Schemas['NewMaintenanceDto']) =>
      unwrap<MaintenanceView>(client.POST('/api/maintenance-windows', { body })),
    correctWindow: (id: string, body: Schemas['MaintenanceCorrectionDto']) =>
      unwrap<MaintenanceView>(
        client.PATCH('/api/maintenance-windows/{id}', { params: { path: { id } }, body }),
      ),
  },
  alarms: (ticketId?: string) =>
    unwrap<Alarm[]>(client.GET('/api/alarms', { params: { query: ticketId ? { ticketId } : {} } })),
  slaPreview: (body: Schemas['PreviewBody']) =>
    unwrap<SlaPreview>(client.POST('/api/sla/preview', { body })),
  mail: {
    inbound: (status?: InboundMail['status']) =>
      unwrap<InboundMail[]>(
        client.GET('/api/mail/inbound', { params: { query: status ? { status } : {} } }),
      ),
    one: (id: string) =>
      unwrap<InboundMailDetail>(client.GET('/api/mail/inbound/{id}', { params: { path: { id } } })),
  },
  organisations: {
    list: () => unwrap<Organisation[]>(client.GET('/api/admin/organizations')),
    create: (body: CreateOrganisation) =>
      unwrap<Organisation>(client.POST('/api/admin/organizations', { body })),
    update: (id: string, body: UpdateOrganisation) =>
      unwrap<Organisation>(
        client.PATCH('/api/admin/organizations/{id}', { params: { path: { id } }, body }),
      ),
  },
  users: {
    list: (query: { organizationId?: string; role?: User['role'] } = {}) =>
      unwrap<User[]>(client.GET('/api/admin/users', { params: { query } })),
    create: (body: CreateUser) => unwrap<User>(client.POST('/api/admin/users', { body })),
    update: (id: string, body: UpdateUser) =>
      unwrap<User>(client.PATCH('/api/admin/users/{id}', { params: { path: { id } }, body })),
  },
  policies: {
    list: () => unwrap<PolicyRecord[]>(client.GET('/api/admin/policies')),
    create: (body: PolicyBody) =>
      unwrap<PolicyRecord>(client.POST('/api/admin/policies', { body })),
    update: (id: string, body: PolicyBody) =>
      unwrap<PolicyRecord>(
        client.PUT('/api/admin/policies/{id}', { params: { path: { id } }, body }),
      ),
  },
  audit: {
    search: (query: AuditQuery) =>
      unwrap<AuditEntry[]>(client.GET('/api/admin/audit', { params: { query } })),
    /** A link the browser follows (the session cookie authenticates the download). */
    exportUrl: (query: AuditQuery, format: 'csv' | 'json') =>
      `/api/admin/audit/export?${new URLSearchParams({ ...clean(query), format })}`,
    verify: () => unwrap<ChainVerdict>(client.GET('/api/admin/audit/verify')),
    viewers: (id: string) =>
      unwrap<TicketViewer[]>(client.GET('/api/tickets/{id}/viewers', { params: { path: { id } } })),
    staffAccesses: (query: { organizationId?: string } = {}) =>
      unwrap<AuditEntry[]>(client.GET('/api/audit/staff-accesses', { params: { query } })),
  },
  privacy: {
    jsonUrl: (userId: string) => `/api/admin/users/${encodeURIComponent(userId)}/personal-data`,
    zipUrl: (userId: string) => `/api/admin/users/${encodeURIComponent(userId)}/personal-data.zip`,
    anonymise: (id: string, confirm: string) =>
      unwrap<{ userId: string; anonymisedAt: string; counts: Record<string, number> }>(
        client.POST('/api/admin/users/{id}/anonymise', {
          params: { path: { id } },
          body: { confirm },
        }),
      ),
  },
  contracts: {
    get: (id: string) =>
      unwrap<ContractView>(
        client.GET('/api/admin/organizations/{id}/contract', { params: { path: { id } } }),
      ),
    set: (id: string, contractEndsOn: string | null) =>
      unwrap<ContractView>(
        client.PUT('/api/admin/organizations/{id}/contract', {
          params: { path: { id } },
          body: { contractEndsOn },
        }),
      ),
    deletions: () => unwrap<DeletionView[]>(client.GET('/api/admin/deletions')),
  },
  calendars: {
    list: () => unwrap<CalendarRecord[]>(client.GET('/api/admin/calendars')),
    create: (body: { name: string; document: CalendarDocument }) =>
      unwrap<CalendarRecord>(
        client.POST('/api/admin/calendars', { body: { ...body, document: { ...body.document } } }),
      ), // a copy: an interface cannot stand for an object of any keys,
    update: (id: string, body: { name?: string; document?: CalendarDocument }) =>
      unwrap<CalendarRecord>(
        client.PATCH('/api/admin/calendars/{id}', {
          params: { path: { id } },
          body: { ...body, document: body.document && { ...body.document } },
        }),
      ),
  },
};

/** POST /api/sla/preview {policyId, severity, receivedAt}. */
export interface SlaPreview {
  policyId: string;
  policy: string;
  severity: number;
  receivedAt: string;
  targets: Array<{
    metric: string;
    clock: string;
    targetSeconds: number;
    dueAt: string;
    warningAt: string | null;
    steps: string[];
  }>;
}
