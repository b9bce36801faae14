import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser, Role } from './auth-user';

export const PUBLIC_KEY = 'identity:public';
export const ROLES_KEY = 'identity:roles';

/** The endpoint needs no sign-in (login, health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Only these roles may call the endpoint. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** The signed-in user. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().user,
);
