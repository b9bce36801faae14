export * from './auth-user';
export * from './decorators';
export { AuthGuard, SESSION_COOKIE, tokenOf } from './auth.guard';
export { IdentityService, mapPgError, type NewUser } from './identity.service';
export { OrganizationsService, type Organization } from './organizations.service';
export { IdentityCoreModule, IdentityModule } from './identity.module';
export { hashPassword } from './passwords';
