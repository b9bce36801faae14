import { Global, Module } from '@nestjs/common';
import { AuthController, OrganizationsController, UsersController } from './controllers';
import { IdentityService } from './identity.service';
import { OrganizationsService } from './organizations.service';

/** Services only (for the worker). */
@Global()
@Module({
  providers: [IdentityService, OrganizationsService],
  exports: [IdentityService, OrganizationsService],
})
export class IdentityCoreModule {}

/** Services and the HTTP endpoints (for the api). The AuthGuard is registered globally by the api. */
@Module({
  imports: [IdentityCoreModule],
  controllers: [AuthController, UsersController, OrganizationsController],
})
export class IdentityModule {}
