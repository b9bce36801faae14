export * from './report.types';
export { ReportsService, changesBetween } from './reports.service';
export { ReportsCoreModule, ReportsModule } from './reports.module';
export {
  AvailabilityService,
  defaultTerms,
  type OutageView,
  type MaintenanceView,
  type CorrectionView,
} from './availability.service';
export { csvZip, csvFiles, csvCell, instantIn, type ReportDetail } from './csv';
export * from './core';
export { ReportDeliveryWorkerModule, ReportFilesModule } from './report-files.module';
export { ReportDeliveryService, type ReportDelivery } from './delivery/report-delivery.service';
export { ReportFilesService, type ReportFile } from './report-files.service';
export { renderReportPdf } from './render/pdf';
export { reportFigures } from './render/figures';
