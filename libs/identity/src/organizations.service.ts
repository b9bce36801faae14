import { invalid, notFound } from '@app/config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mapPgError } from './identity.service';

export interface Organization {
  id: string;
  name: string;
  policyId: string;
  principalUserId: string | null;
  emailDomains: string[];
  /** Severity of an e-mail whose subject has no severity tag. */
  defaultSeverity: number;
  createdAt: string;
}

const COLS = 'id, name, policy_id, principal_user_id, email_domains, default_severity, created_at';
interface OrganizationRow {
  id: string;
  name: string;
  policy_id: string;
  principal_user_id: string | null;
  email_domains: string[];
  default_severity: number;
  created_at: Date;
}
const toOrg = (r: OrganizationRow): Organization => ({
  id: r.id,
  name: r.name,
  policyId: r.policy_id,
  principalUserId: r.principal_user_id,
  emailDomains: r.email_domains,
  defaultSeverity: r.default_severity,
  createdAt: new Date(r.created_at).toISOString(),
});

/** An organisation's own security rules for its users: 2FA required, stricter session time-outs. */
export interface OrganizationSecurity {
  organizationId: string;
  requireTwoFactor: boolean;
  sessionIdleMinutes: number | null;
  sessionMaxHours: number | null;
}

/** The customers: name, SLA policy, principal user, e-mail domains, default severity for mail. */
@Injectable()
export class OrganizationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(input: {
    name: string;
    policyId: string;
    emailDomains?: string[];
    principalUserId?: string | null;
    defaultSeverity?: number;
  }): Promise<Organization> {
    try {
      const [row] = await this.db.query(
        `INSERT INTO organizations (name, policy_id, email_domains, principal_user_id, default_severity) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLS}`,
        [
          input.name,
          input.policyId,
          (input.emailDomains ?? []).map((d) => d.toLowerCase()),
          input.principalUserId ?? null,
          input.defaultSeverity ?? 3,
        ],
      );
      return toOrg(row);
    } catch (err) {
      throw mapPgError(err, 'organization');
    }
  }

  async update(
    id: string,
    patch: {
      name?: string;
      policyId?: string;
      emailDomains?: string[];
      principalUserId?: string | null;
      defaultSeverity?: number;
    },
  ): Promise<Organization> {
    const current = await this.get(id);
    if (patch.principalUserId) {
      const [u] = await this.db.query(`SELECT organization_id FROM users WHERE id = $1`, [
        patch.principalUserId,
      ]);
      if (!u || u.organization_id !== id)
        throw invalid(
          'principal_not_member',
          'The principal user must be a user of this organisation.',
        );
    }
    try {
      const [[row]] = await this.db.query(
        `UPDATE organizations SET name = $2, policy_id = $3, email_domains = $4, principal_user_id = $5, default_severity = $6 WHERE id = $1 RETURNING ${COLS}`,
        [
          id,
          patch.name ?? current.name,
          patch.policyId ?? current.policyId,
          (patch.emailDomains ?? current.emailDomains).map((d) => d.toLowerCase()),
          patch.principalUserId === undefined ? current.principalUserId : patch.principalUserId,
          patch.defaultSeverity ?? current.defaultSeverity,
        ],
      );
      return toOrg(row);
    } catch (err) {
      throw mapPgError(err, 'organization');
    }
  }

  async get(id: string): Promise<Organization> {
    const [row] = await this.db
      .query(`SELECT ${COLS} FROM organizations WHERE id = $1`, [id])
      .catch((e) => {
        throw mapPgError(e, 'organization');
      });
    if (!row) throw notFound('organization_not_found', `No organisation ${id}.`);
    return toOrg(row);
  }

  async list(): Promise<Organization[]> {
    return (await this.db.query(`SELECT ${COLS} FROM organizations ORDER BY name`)).map(toOrg);
  }

  /** The organisation whose e-mail domains include the address's domain (for tickets by e-mail). */
  async findByEmailDomain(email: string): Promise<Organization | null> {
    const domain = email.split('@').pop()?.trim().toLowerCase() ?? '';
    const [row] = await this.db.query(
      `SELECT ${COLS} FROM organizations WHERE $1 = ANY(email_domains) ORDER BY created_at LIMIT 1`,
      [domain],
    );
    return row ? toOrg(row) : null;
  }

  async security(id: string): Promise<OrganizationSecurity> {
    await this.get(id);
    const [r] = await this.db.query(
      `SELECT id, require_two_factor, session_idle_minutes, session_max_hours FROM organizations WHERE id = $1`,
      [id],
    );
    return {
      organizationId: r.id,
      requireTwoFactor: r.require_two_factor,
      sessionIdleMinutes: r.session_idle_minutes,
      sessionMaxHours: r.session_max_hours,
    };
  }

  /** Changes what is given (null: back to the role's time-out); returns before and after. */
  async updateSecurity(
    id: string,
    patch: Partial<Omit<OrganizationSecurity, 'organizationId'>>,
  ): Promise<{ before: OrganizationSecurity; after: OrganizationSecurity }> {
    const before = await this.security(id);
    const pick = <K extends keyof OrganizationSecurity>(k: K) =>
      patch[k as Exclude<K, 'organizationId'>] === undefined
        ? before[k]
        : patch[k as Exclude<K, 'organizationId'>];
    await this.db.query(
      `UPDATE organizations SET require_two_factor = $2, session_idle_minutes = $3, session_max_hours = $4 WHERE id = $1`,
      [id, pick('requireTwoFactor'), pick('sessionIdleMinutes'), pick('sessionMaxHours')],
    );
    return { before, after: await this.security(id) };
  }
}
