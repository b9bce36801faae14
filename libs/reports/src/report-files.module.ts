import { Module } from '@nestjs/common';
import { ReportFilesController } from './report-files.controller';
import { ReportFilesService } from './report-files.service';
import { ReportsModule } from './reports.module';

/** The report as files (PDF, CSV zip) and their routes, for the api. Import it before the JSON routes' module. */
@Module({
  imports: [ReportsModule],
  providers: [ReportFilesService],
  controllers: [ReportFilesController],
  exports: [ReportFilesService],
})
export class ReportFilesModule {}
