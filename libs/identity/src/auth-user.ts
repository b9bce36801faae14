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
