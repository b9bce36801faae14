import { Module } from '@nestjs/common';
import { ReportDeliveryScheduler } from './delivery/report-delivery.scheduler';
import { ReportDeliveryService } from './delivery/report-delivery.service';
import { ReportFilesController } from './report-files.controller';
import { ReportFilesService } from './report-files.service';
import { ReportsCoreModule } from './reports.module';

/**
 * For the api: the report as files (PDF, CSV zip) and the deliveries' list. Import it before the
 * reports' JSON routes, so that `reports/:id.pdf` and `reports/deliveries` are not read as `reports/:id`.
 */
@Module({
  imports: [ReportsCoreModule],
  providers: [ReportFilesService, ReportDeliveryService],
  controllers: [ReportFilesController],
  exports: [ReportFilesService],
})
export class ReportFilesModule {}

/** For the worker: the scheduled quarterly delivery. */
@Module({
  imports: [ReportsCoreModule],
  providers: [ReportFilesService, ReportDeliveryService, ReportDeliveryScheduler],
  exports: [ReportDeliveryService],
})
export class ReportDeliveryWorkerModule {}
