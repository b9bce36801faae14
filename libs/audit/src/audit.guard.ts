import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { changedFields, maskedBody, Row } from './audit-changes';
import { auditContext, currentAuditContext } from './audit-context';
import { AUDIT_READ_KEY, AuditReadSpec } from './audit-read.decorator';
import { AuditService, STAFF_ROLES } from './audit.service';

/** Express middleware (mounted by the api): an audit context per request, with the client address. */
export function auditContextMiddleware() {
  return (req: Request, _res: Response, next: NextFunction): void =>
    auditContext.run({ actor: null, clientAddress: req.ip ?? null }, next);
}

/** Admin resources whose rows are snapshotted before and after a change: route segment → table. */
const RESOURCES: Record<string, { table: string; noun: string; personal: boolean }> = {
  users: { table: 'users', noun: 'user', personal: true },
  organizations: { table: 'organizations', noun: 'organization', personal: false },
  policies: { table: 'sla_policies', noun: 'policy', personal: false },
  calendars: { table: 'calendars', noun: 'calendar', personal: false },
};
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Security-relevant writes outside /api/admin and /api/auth (2FA, sessions, settings). */
const SECURITY_PATH = /\/(sessions?|2fa|two-factor|totp|mfa|security|settings)(\/|$)/;

/** Where an object's ticket and organisation are (for reads declared with @AuditRead). */
const OWNER_SQL: Record<string, string> = {
  ticket: `SELECT t.id AS ticket_id, t.organization_id FROM tickets t WHERE t.id::text = $1`,
  attachment: `SELECT t.id AS ticket_id, t.organization_id FROM inbound_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE a.id::text = $1`,
  mail_attachment: `SELECT t.id AS ticket_id, t.organization_id FROM inbound_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE a.id::text = $1`,
  inbound_mail: `SELECT t.id AS ticket_id, t.organization_id FROM inbound_mails m JOIN tickets t ON t.id = m.ticket_id WHERE m.id::text = $1`,
  organization: `SELECT NULL::uuid AS ticket_id, o.id AS organization_id FROM organizations o WHERE o.id::text = $1`,
  user: `SELECT NULL::uuid AS ticket_id, u.organization_id FROM users u WHERE u.id::text = $1`,
};

type AuthedRequest = Request & { user?: { id: string; role: string; email?: string } };

/**
 * A global guard after the sign-in guard (it never refuses): puts the signed-in user in the audit
 * context, and records what the routes themselves do not, once the response is finished: sign-in,
 * failed sign-in and sign-out; every change made through /api/admin (users, roles, organisations,
 * policies, calendars, settings: the changed fields before and after); other security writes (2FA,
 * sessions); staff reads of routes marked @AuditRead, of reports and of exports. A guard, not an
 * interceptor: an interceptor would start server-sent event streams before their handler refuses.
 */
@Injectable()
export class AuditGuard implements CanActivate {
  private readonly logger = new Logger(AuditGuard.name);

  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const store = currentAuditContext();
    store.actor = req.user ? { id: req.user.id, role: req.user.role } : null;
    const path = (req.route?.path as string | undefined) ?? req.path;
    const change = WRITES.has(req.method) ? this.changeOf(path, req) : null;
    const staffRead = req.method === 'GET' && !!req.user && STAFF_ROLES.includes(req.user.role);
    const spec = this.reflector.get<AuditReadSpec | undefined>(AUDIT_READ_KEY, ctx.getHandler());
    if (!change && !staffRead) return true;
    const before = change?.id ? await this.snapshot(change.table, change.id) : null;
    let body: unknown;
    if (change) {
      const json = res.json.bind(res);
      res.json = (b: unknown) => {
        body = b;
        return json(b);
      };
    }
    const context = { ...store };
    res.once('finish', () => {
      const ok = res.statusCode < 400;
      const work = auditContext.run(context, async () => {
        if (change && ok) await this.changed(change, req, before, body);
        else if (change) await this.failed(path, req, res.statusCode, body);
        else if (ok) await this.readDone(path, req, spec);
      });
      this.audit.track(work.catch((e) => this.logger.error(`audit: ${e}`)));
    });
    return true;
  }

  private changeOf(path: string, req: AuthedRequest) {
    const auth = /^\/api\/auth\/(.+)$/.exec(path);
    if (auth) return { kind: 'auth' as const, action: authAction(auth[1]), table: '', id: '' };
    const admin = /^\/api\/admin\/([\w-]+)(?:\/:(\w+))?(\/.*)?$/.exec(path);
    if (admin) {
      const res = RESOURCES[admin[1]];
      const id = admin[2] ? String(req.params[admin[2]] ?? '') : '';
      if (res)
        return {
          kind: 'row' as const,
          action: `${res.noun}.${
            admin[3]
              ? admin[3]
                  .split('/')
                  .filter((seg) => seg && !seg.startsWith(':'))
                  .join('.')
              : verb(req.method)
          }`,
          table: res.table,
          personal: res.personal,
          id,
          noun: res.noun,
        };
      return {
        kind: 'other' as const,
        action: `admin.${admin[1]}.${verb(req.method)}`,
        table: '',
        id,
      };
    }
    if (SECURITY_PATH.test(path))
      return {
        kind: 'other' as const,
        action: `security${path.replace(/^\/api/, '').replace(/\/:?/g, '.')}.${verb(req.method)}`,
        table: '',
        id: '',
      };
    return null;
  }

  private async snapshot(table: string, id: string): Promise<Row | null> {
    if (!table || !/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [r] = await this.db.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE t.id = $1`, [
      id,
    ]);
    return (r?.row as Row) ?? null;
  }

  private async changed(
    change: NonNullable<ReturnType<AuditGuard['changeOf']>>,
    req: AuthedRequest,
    before: Row | null,
    result: unknown,
  ) {
    if (change.kind === 'auth') {
      if (change.action === 'auth.sign_in') {
        const user = (result as { user?: { id: string; role: string; organizationId?: string } })
          ?.user;
        await this.audit.log({
          // A password accepted but a second factor still to come is not yet a sign-in.
          action: user ? 'auth.sign_in' : 'auth.sign_in.first_factor',
          actor: user ? { id: user.id, role: user.role } : null,
          object: user ? { type: 'user', id: user.id } : null,
          organizationId: user?.organizationId ?? null,
        });
      } else
        await this.audit.log({
          action: change.action,
          object: req.user ? { type: 'user', id: req.user.id } : null,
        });
      return;
    }
    if (change.kind === 'row') {
      const id = change.id || String((result as { id?: unknown })?.id ?? '');
      const after = await this.snapshot(change.table, id);
      const org =
        change.table === 'organizations'
          ? id
          : ((after ?? before)?.organization_id as string | undefined);
      await this.audit.log({
        action: change.action,
        object: id ? { type: change.noun, id } : null,
        organizationId: org ?? null,
        details: { changes: changedFields(before, after, change.personal) },
      });
      return;
    }
    await this.audit.log({
      action: change.action,
      object: change.id ? { type: 'resource', id: change.id } : null,
      details: {
        route: `${req.method} ${req.route?.path ?? req.path}`,
        params: req.params,
        body: maskedBody(req.body),
      },
    });
  }

  /** Failed sign-ins (and other refused auth steps, such as a wrong second factor). */
  private async failed(path: string, req: AuthedRequest, status: number, body: unknown) {
    const m = /^\/api\/auth\/(.+)$/.exec(path);
    if (!m || req.method !== 'POST' || ![401, 403, 429].includes(status)) return;
    const action = `${authAction(m[1])}_failed`;
    let actor = req.user ? { id: req.user.id, role: req.user.role } : null;
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : null;
    if (!actor && email) {
      const [u] = await this.db.query(`SELECT id, role FROM users WHERE lower(email) = $1`, [
        email,
      ]);
      if (u) actor = { id: u.id, role: u.role };
    }
    await this.audit.log({
      action,
      actor,
      object: actor ? { type: 'user', id: actor.id } : null,
      details: {
        reason: (body as { code?: string } | undefined)?.code ?? status,
        ...(actor ? {} : { unknownEmail: true }),
      },
    });
  }

  private async readDone(path: string, req: AuthedRequest, spec?: AuditReadSpec) {
    let type: string;
    let id: string;
    let action: string;
    if (spec) {
      type = spec.type;
      id = String(req.params[spec.param] ?? '');
      action = spec.action;
    } else if (/^\/api\/reports(\/|$)/.test(path)) {
      type = 'report';
      id = req.originalUrl.replace(/^\/api/, '');
      action = /\bformat=(csv|json|pdf|xlsx)\b|\/export\b/.test(req.originalUrl)
        ? 'report.export'
        : 'report.read';
    } else if (/\/export(\/|$)|\bformat=(csv|json)\b/.test(req.originalUrl)) {
      type = 'export';
      id = req.originalUrl.replace(/^\/api/, '');
      action = 'data.export';
    } else return;
    if (!id) return;
    let owner: { ticket_id: string | null; organization_id: string | null } | undefined;
    if (OWNER_SQL[type]) [owner] = await this.db.query(OWNER_SQL[type], [id]);
    const orgParam = req.query?.organizationId;
    this.audit.read({
      action,
      object: { type, id },
      ticketId: owner?.ticket_id ?? null,
      organizationId: owner?.organization_id ?? (typeof orgParam === 'string' ? orgParam : null),
    });
  }
}

const verb = (method: string) =>
  ({ POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' })[method] ??
  method.toLowerCase();

/** `login` → auth.sign_in, `logout` → auth.sign_out, `2fa/verify` → auth.2fa.verify. */
function authAction(rest: string): string {
  if (rest === 'login') return 'auth.sign_in';
  if (rest === 'logout') return 'auth.sign_out';
  return `auth.${rest.replace(/\/:?/g, '.')}`;
}
