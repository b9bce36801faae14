export { SEVERITY_MEANINGS } from './severities';
export { PoliciesService, type StoredPolicy, type StoredCalendar } from './policies.service';
export { parseInstant } from './instant';
export { SeverityCoreModule, SeverityModule } from './severity.module';
