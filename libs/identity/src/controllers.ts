import { AppConfig } from '@app/config';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SESSION_COOKIE, tokenOf } from './auth.guard';
import type { AuthUser, SessionUser } from './auth-user';
import { CurrentUser, DuringSetup, Public, Roles } from './decorators';
import { ChangePasswordDto, SecondFactorDto } from './security.dto';
import {
  CreateOrganizationDto,
  CreateUserDto,
  LoginDto,
  UpdateOrganizationDto,
  UpdateUserDto,
  UserListQuery,
} from './dto';
import { IdentityService } from './identity.service';
import { OrganizationsService } from './organizations.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly config: AppConfig,
  ) {}

  /**
   * `{token, user, expiresAt}` and the session cookie; for a user with 2FA instead
   * `{twoFactor: "required", challenge, expiresAt}` (no session yet): send the challenge and a code
   * to POST /api/auth/login/two-factor within five minutes.
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.identity.login(dto.email, dto.password, req.ip, clientOf(req));
    if ('challenge' in result) return { ...result, expiresAt: result.expiresAt.toISOString() };
    this.setCookie(res, result.token, result.expiresAt);
    return { ...result, expiresAt: result.expiresAt.toISOString() };
  }

  /** The second step of a login with 2FA: a new session (`{token, user, expiresAt}` and the cookie). */
  @Public()
  @Post('login/two-factor')
  @HttpCode(200)
  async secondFactor(
    @Body() dto: SecondFactorDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { token, user, expiresAt } = await this.identity.completeLogin(
      dto.challenge,
      dto.code,
      req.ip,
      clientOf(req),
    );
    this.setCookie(res, token, expiresAt);
    return { token, user, expiresAt: expiresAt.toISOString() };
  }

  private setCookie(res: Response, token: string, expiresAt: Date) {
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      expires: expiresAt,
      path: '/',
    });
  }

  /** Ends this session on the server and clears the cookie. */
  @ApiBearerAuth()
  @DuringSetup('two_factor', 'password')
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = tokenOf(req);
    if (token) await this.identity.logout(token);
    res.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
    });
  }

  /** Who is signed in, with `twoFactorEnabled`, `twoFactorRequired` and `passwordChangeRequired`. */
  @ApiBearerAuth()
  @DuringSetup('two_factor', 'password')
  @Get('me')
  me(@CurrentUser() user: SessionUser) {
    return user;
  }

  /** Changes your password (the current one, then a new one by the rules); your other sessions end. */
  @ApiBearerAuth()
  @DuringSetup('password')
  @Post('password')
  @HttpCode(204)
  async changePassword(@Body() dto: ChangePasswordDto, @CurrentUser() user: SessionUser) {
    await this.identity.changePassword(user, dto.currentPassword, dto.newPassword);
  }
}

/** The device and address a session is opened from (shown in the list of sessions). */
export const clientOf = (req: Request) => ({
  userAgent: req.get('user-agent') ?? null,
  clientAddress: req.ip ?? null,
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
export class UsersController {
  constructor(private readonly identity: IdentityService) {}

  @Roles('admin', 'manager', 'customer_admin')
  @Get()
  list(@Query() q: UserListQuery, @CurrentUser() me: AuthUser) {
    if (me.role === 'customer_admin')
      return this.identity.listUsers({ ...q, organizationId: me.organizationId! });
    return this.identity.listUsers(q);
  }

  @Roles('admin')
  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.identity.createUser(dto);
  }

  @Roles('admin')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.identity.updateUser(id, dto);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/organizations')
export class OrganizationsController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Roles('admin', 'manager', 'agent', 'customer_admin', 'customer')
  @Get()
  async list(@CurrentUser() me: AuthUser) {
    if (me.organizationId) return [await this.orgs.get(me.organizationId)];
    return this.orgs.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: AuthUser) {
    if (me.organizationId && me.organizationId !== id)
      throw new ForbiddenException('You may only read your own organisation.');
    return this.orgs.get(id);
  }

  @Roles('admin')
  @Post()
  create(@Body() dto: CreateOrganizationDto) {
    return this.orgs.create(dto);
  }

  @Roles('admin')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOrganizationDto) {
    return this.orgs.update(id, dto);
  }
}
