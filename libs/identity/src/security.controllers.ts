import { notFound } from '@app/config';
import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Optional,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { SessionUser } from './auth-user';
import { CurrentUser, DuringSetup, Roles } from './decorators';
import { IdentityService } from './identity.service';
import { OrganizationsService } from './organizations.service';
import {
  CodeDto,
  DisableTwoFactorDto,
  OrganizationSecurityDto,
  RequiredRolesDto,
  TwoFactorOverviewQuery,
} from './security.dto';
import { SECURITY_EVENTS, SecurityEvents } from './security-events';
import { SessionsService } from './sessions.service';
import { TwoFactorRow, TwoFactorService } from './two-factor.service';

/** Your own two-factor authentication: status, enrolment, recovery codes, turning it off. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/two-factor')
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  /** `{enabled, method, since, recoveryCodesLeft, required}`. */
  @DuringSetup('two_factor')
  @Get()
  status(@CurrentUser() me: SessionUser) {
    return this.twoFactor.status(me);
  }

  /** Starts enrolment: `{secret, otpauthUri, qrCode}` (a PNG data URL); confirm with a code. */
  @DuringSetup('two_factor')
  @Post('enrolment')
  start(@CurrentUser() me: SessionUser) {
    return this.twoFactor.startEnrolment(me);
  }

  /** Turns 2FA on with the app's current code: `{recoveryCodes}`, shown this once. Other sessions end. */
  @DuringSetup('two_factor')
  @Post('enrolment/confirm')
  @HttpCode(200)
  confirm(@Body() dto: CodeDto, @CurrentUser() me: SessionUser) {
    return this.twoFactor.confirmEnrolment(me, dto.code);
  }

  /** Ten new recovery codes (the old ones stop working), with a current code. */
  @Post('recovery-codes')
  @HttpCode(200)
  recoveryCodes(@Body() dto: CodeDto, @CurrentUser() me: SessionUser) {
    return this.twoFactor.regenerateRecoveryCodes(me, dto.code);
  }

  /** Turns 2FA off (password and a code), unless it is required of you. Other sessions end. */
  @Post('disable')
  @HttpCode(204)
  async disable(@Body() dto: DisableTwoFactorDto, @CurrentUser() me: SessionUser) {
    await this.twoFactor.disable(me, dto.password, dto.code);
  }
}

/** Your own sessions: where you are signed in, and ending them. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** `[{id, current, createdAt, lastSeenAt, endsAt, userAgent, clientAddress}]`, newest first. */
  @Get()
  list(@CurrentUser() me: SessionUser) {
    return this.sessions.list(me.id, me.sessionId);
  }

  /** Ends every session of yours but this one: `{ended}`. */
  @Delete()
  async endOthers(@CurrentUser() me: SessionUser) {
    return { ended: await this.sessions.endAll(me.id, me.sessionId) };
  }

  /** Ends one of your sessions (this one too: that is a logout). */
  @Delete(':id')
  @HttpCode(204)
  async end(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: SessionUser) {
    await this.sessions.end(me.id, id);
  }
}

const CSV_COLUMNS: [string, (r: TwoFactorRow) => unknown][] = [
  ['email', (r) => r.email],
  ['name', (r) => r.name],
  ['role', (r) => r.role],
  ['organisation', (r) => r.organizationName ?? ''],
  ['active', (r) => r.active],
  ['two_factor', (r) => r.enabled],
  ['method', (r) => r.method ?? ''],
  ['since', (r) => r.since ?? ''],
  ['required', (r) => r.required],
  ['recovery_codes_left', (r) => r.recoveryCodesLeft],
];

/** A CSV field: quoted when needed, and a leading = + - @ defused (spreadsheet formulas). */
export function csvField(value: unknown): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const twoFactorCsv = (rows: TwoFactorRow[]) =>
  [CSV_COLUMNS.map(([h]) => h), ...rows.map((r) => CSV_COLUMNS.map(([, f]) => f(r)))]
    .map((line) => line.map(csvField).join(','))
    .join('\r\n') + '\r\n';

/** Who has 2FA and who must: admins for everybody, customer admins for their organisation. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/two-factor')
export class TwoFactorAdminController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  private scope(me: SessionUser, q: TwoFactorOverviewQuery) {
    return me.role === 'customer_admin' ? me.organizationId! : q.organizationId;
  }

  /** `[{userId, email, name, role, organizationName, enabled, method, since, required, …}]`. */
  @Roles('admin', 'customer_admin')
  @Get()
  list(@Query() q: TwoFactorOverviewQuery, @CurrentUser() me: SessionUser) {
    return this.twoFactor.overview(this.scope(me, q));
  }

  /** The same as CSV. */
  @Roles('admin', 'customer_admin')
  @Get('export')
  @ApiProduces('text/csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="two-factor.csv"')
  async export(@Query() q: TwoFactorOverviewQuery, @CurrentUser() me: SessionUser) {
    return twoFactorCsv(await this.twoFactor.overview(this.scope(me, q)));
  }

  /** `{roles}`: the roles whose users must have 2FA. */
  @Roles('admin')
  @Get('roles')
  async roles() {
    return { roles: await this.twoFactor.requiredRoles() };
  }

  @Roles('admin')
  @Put('roles')
  async setRoles(@Body() dto: RequiredRolesDto, @CurrentUser() me: SessionUser) {
    return { roles: await this.twoFactor.setRequiredRoles(me, dto.roles) };
  }
}

/** An admin's security actions on one user, and an organisation's security rules. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class SecurityAdminController {
  constructor(
    private readonly identity: IdentityService,
    private readonly orgs: OrganizationsService,
    private readonly sessions: SessionsService,
    private readonly twoFactor: TwoFactorService,
    @Optional() @Inject(SECURITY_EVENTS) private readonly events?: SecurityEvents,
  ) {}

  /** A customer admin acts on their own organisation only; anything else is not found for them. */
  private async userInScope(me: SessionUser, id: string) {
    const user = await this.identity.getUser(id);
    if (me.role === 'customer_admin' && user.organizationId !== me.organizationId)
      throw notFound('user_not_found', `No user ${id}.`);
    return user;
  }

  private orgInScope(me: SessionUser, id: string) {
    if (me.role === 'customer_admin' && me.organizationId !== id)
      throw notFound('organization_not_found', `No organisation ${id}.`);
  }

  /** Turns a user's 2FA off (a lost device); every session of theirs ends. Audited. */
  @Roles('admin')
  @Post('users/:id/two-factor/reset')
  @HttpCode(204)
  async resetTwoFactor(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: SessionUser) {
    await this.twoFactor.reset(me, id);
  }

  /** Ends every session of a user: `{ended}`. */
  @Roles('admin', 'customer_admin')
  @Delete('users/:id/sessions')
  async endSessions(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: SessionUser) {
    await this.userInScope(me, id);
    const ended = await this.sessions.endAll(id);
    await this.events?.record(me.id, 'sessions.revoked', null, { userId: id, ended });
    return { ended };
  }

  /** `{organizationId, requireTwoFactor, sessionIdleMinutes, sessionMaxHours}`. */
  @Roles('admin', 'customer_admin')
  @Get('organizations/:id/security')
  async security(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: SessionUser) {
    this.orgInScope(me, id);
    return this.orgs.security(id);
  }

  /** Requires 2FA of the organisation's users, and/or sets stricter session time-outs for them. */
  @Roles('admin', 'customer_admin')
  @Put('organizations/:id/security')
  async setSecurity(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OrganizationSecurityDto,
    @CurrentUser() me: SessionUser,
  ) {
    this.orgInScope(me, id);
    const { before, after } = await this.orgs.updateSecurity(id, dto);
    await this.sessions.forget();
    await this.events?.record(me.id, 'organization.security_changed', null, { before, after });
    return after;
  }
}
