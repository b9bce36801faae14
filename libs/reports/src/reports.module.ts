import { Module } from '@nestjs/common';
import { ReportsService } from './reports.service';

/** Quarterly reports, incidents and maintenance windows, contract terms. */
@Module({ providers: [ReportsService], exports: [ReportsService] })
export class ReportsModule {}
