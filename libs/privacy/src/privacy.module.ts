import { Module } from '@nestjs/common';
import { ContractsController } from './contract-end/contracts.controller';
import { ContractsService } from './contract-end/contracts.service';
import { DeletionProcessor } from './contract-end/deletion.processor';
import { DeletionService } from './contract-end/deletion.service';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';
import { OrganisationExportService } from './organisation-export.service';

/** For the api: one person's data, contract ends and deletion status. */
@Module({
  providers: [PrivacyService, ContractsService, OrganisationExportService],
  controllers: [PrivacyController, ContractsController],
  exports: [PrivacyService],
})
export class PrivacyModule {}

/** For the worker: contract warnings and the deletion job. */
@Module({ providers: [DeletionService, DeletionProcessor] })
export class PrivacyWorkerModule {}
