import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role, SessionUser } from './auth-user';

export const PUBLIC_KEY = 'identity:public';
export const ROLES_KEY = 'identity:roles';
export const SETUP_KEY = 'identity:setup';

/** What a signed-in user may still have to do before the rest of the API answers them. */
export type SetupStep = 'two_factor' | 'password';

/** The endpoint needs no sign-in (login, health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Only these roles may call the endpoint. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/**
 * The endpoint answers a user who has not yet done these steps (enrolling in a required 2FA,
 * changing a password an admin set): `me`, logout, and the routes that do the steps.
 */
export const DuringSetup = (...steps: SetupStep[]) => SetMetadata(SETUP_KEY, steps);
/** The signed-in user (with their session). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): SessionUser => ctx.switchToHttp().getRequest().user,
);
