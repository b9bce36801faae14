import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { DomainError } from '@app/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY, SETUP_KEY, type SetupStep } from './decorators';
import { SessionsService } from './sessions.service';
import { twoFactorRequired } from './two-factor.service';

export const SESSION_COOKIE = 'hd_session';

export function tokenOf(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return (req.cookies?.[SESSION_COOKIE] as string | undefined) ?? null;
}

/**
 * Global guard: every endpoint needs a session (bearer token or cookie) unless marked @Public().
 * A user who must have 2FA and has not enrolled gets 403 `two_factor_required`, and one whose
 * password an admin set gets 403 `password_change_required`, from every endpoint but those marked
 * @DuringSetup for that step (`me`, logout, enrolment, password change).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: unknown }>();
    const token = tokenOf(req);
    const user = token ? await this.sessions.authenticate(token) : null;
    if (!user)
      throw new UnauthorizedException('Sign in first: send a bearer token or the session cookie.');
    req.user = user;
    const setup = this.reflector.getAllAndOverride<SetupStep[] | undefined>(SETUP_KEY, targets);
    if (user.passwordChangeRequired && !setup?.includes('password'))
      throw new DomainError(
        'forbidden',
        'password_change_required',
        'Your password was set by an admin: choose your own first (POST /api/auth/password).',
      );
    if (user.twoFactorRequired && !user.twoFactorEnabled && !setup?.includes('two_factor'))
      throw twoFactorRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role))
      throw new ForbiddenException(
        `This needs the role ${roles.join(' or ')}; you are ${user.role}.`,
      );
    return true;
  }
}
