export * from './auth-user';
export * from './decorators';
export { AuthGuard, SESSION_COOKIE, tokenOf } from './auth.guard';
export { IdentityService, mapPgError, type NewUser, type LoginResult } from './identity.service';
export {
  OrganizationsService,
  type Organization,
  type OrganizationSecurity,
} from './organizations.service';
export { SessionsService, hashToken, type SessionView, type ClientInfo } from './sessions.service';
export { TwoFactorService, type TwoFactorRow, type TwoFactorStatus } from './two-factor.service';
export { SECURITY_EVENTS, type SecurityEvents } from './security-events';
export { IdentityCoreModule, IdentityModule } from './identity.module';
export { hashPassword, passwordProblem } from './passwords';
export { totpCode } from './two-factor-core';
