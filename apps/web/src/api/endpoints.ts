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
  Alarm,
  Attachment,
  CalendarRecord,
  Chat,
  ChatAvailability,
  InboundMail,
  InboundMailDetail,
  Organisation,
  Page,
  PolicyRecord,
  ReportDelivery,
  ReportRevision,
  Ticket,
  User,
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

export const api = {
  auth: {
    login: (body: Schemas['LoginDto']) =>
      unwrap<{ token: string; user: User; expiresAt: string }>(
        client.POST('/api/auth/login', { body }),
      ),
    logout: () => unwrap<void>(client.POST('/api/auth/logout')),
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
