export * from './report.types';
export { ReportsService } from './reports.service';
export { ReportsModule } from './reports.module';
export { ReportDeliveryWorkerModule, ReportFilesModule } from './report-files.module';
export { ReportDeliveryService, type ReportDelivery } from './delivery/report-delivery.service';
export { ReportFilesService, type ReportFile } from './report-files.service';
export { renderReportPdf } from './render/pdf';
export { reportFigures } from './render/figures';
