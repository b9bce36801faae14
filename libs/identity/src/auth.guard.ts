import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { IdentityService } from './identity.service';

export const SESSION_COOKIE = 'hd_session';

export function tokenOf(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return (req.cookies?.[SESSION_COOKIE] as string | undefined) ?? null;
}

/** Global guard: every endpoint needs a session (bearer token or cookie) unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: unknown }>();
    const token = tokenOf(req);
    const user = token ? await this.identity.authenticate(token) : null;
    if (!user)
      throw new UnauthorizedException('Sign in first: send a bearer token or the session cookie.');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role))
      throw new ForbiddenException(
        `This needs the role ${roles.join(' or ')}; you are ${user.role}.`,
      );
    return true;
  }
}
