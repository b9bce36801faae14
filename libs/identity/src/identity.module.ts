import { Global, Module } from '@nestjs/common';
import { AuthController, OrganizationsController, UsersController } from './controllers';
import { IdentityService } from './identity.service';
import { OrganizationsService } from './organizations.service';
import {
  SecurityAdminController,
  SessionsController,
  TwoFactorAdminController,
  TwoFactorController,
} from './security.controllers';
import { SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';

/** Services only (for the worker). */
@Global()
@Module({
  providers: [IdentityService, OrganizationsService, SessionsService, TwoFactorService],
  exports: [IdentityService, OrganizationsService, SessionsService, TwoFactorService],
})
export class IdentityCoreModule {}

/** Services and the HTTP endpoints (for the api). The AuthGuard is registered globally by the api. */
@Module({
  imports: [IdentityCoreModule],
  controllers: [
    AuthController,
    TwoFactorController,
    SessionsController,
    UsersController,
    OrganizationsController,
    TwoFactorAdminController,
    SecurityAdminController,
  ],
})
export class IdentityModule {}
