export * from './report.types';
export { ReportsService } from './reports.service';
export { ReportsModule } from './reports.module';
