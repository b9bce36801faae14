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
import type { AuthUser } from './auth-user';
import { CurrentUser, Public, Roles } from './decorators';
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

  /** `{token, user}` and the session cookie. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { token, user, expiresAt } = await this.identity.login(dto.email, dto.password, req.ip);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.COOKIE_SECURE,
      expires: expiresAt,
      path: '/',
    });
    return { token, user, expiresAt: expiresAt.toISOString() };
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = tokenOf(req);
    if (token) await this.identity.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}

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
