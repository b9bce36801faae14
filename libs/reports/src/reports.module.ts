import { Module } from '@nestjs/common';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { ReportFactsRepository } from './report-facts.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/**
 * Services only (the worker's delivery job): reports, incidents and maintenance, contract terms.
 * Needs the identity, severity, tickets and audit services (global in the api and the worker).
 */
@Module({
  providers: [ReportsService, AvailabilityService, ReportFactsRepository],
  exports: [ReportsService, AvailabilityService],
})
export class ReportsCoreModule {}

/** The api's routes: /api/reports, /api/outages, /api/maintenance-windows, contract terms, restoration. */
@Module({
  imports: [ReportsCoreModule],
  controllers: [ReportsController, AvailabilityController],
  exports: [ReportsCoreModule],
})
export class ReportsModule {}
