export const ROLES = ['customer', 'customer_admin', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['agent', 'manager', 'admin'];
export const CUSTOMER_ROLES: readonly Role[] = ['customer', 'customer_admin'];

/** The signed-in user, as the guard puts it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  supportLevel: 1 | 2 | 3 | null;
  securityClearance: boolean;
}

export const isStaff = (u: Pick<AuthUser, 'role'>) => STAFF_ROLES.includes(u.role);

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organization_id: string | null;
  support_level: number | null;
  security_clearance: boolean;
  active: boolean;
  password_hash?: string | null;
  created_at?: Date;
}

export function toAuthUser(r: UserRow): AuthUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    organizationId: r.organization_id,
    supportLevel: (r.support_level as 1 | 2 | 3 | null) ?? null,
    securityClearance: r.security_clearance,
  };
}

/** The signed-in user with what their session knows: which session, and what they must still set up. */
export interface SessionUser extends AuthUser {
  sessionId: string;
  twoFactorEnabled: boolean;
  /** An admin (for the role) or the organisation requires 2FA of this user. */
  twoFactorRequired: boolean;
  /** An admin set the password; the user must choose their own before anything else. */
  passwordChangeRequired: boolean;
}

/** A user who must have 2FA: the role is on the admins' list, or a customer's organisation requires it. */
export const TWO_FACTOR_REQUIRED_SQL = (user: string, org: string) =>
  `(EXISTS (SELECT 1 FROM two_factor_roles r WHERE r.role = ${user}.role)
    OR (${user}.role IN ('customer','customer_admin') AND coalesce(${org}.require_two_factor, false)))`;
