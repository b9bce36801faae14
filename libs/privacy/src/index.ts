export { PrivacyModule, PrivacyWorkerModule } from './privacy.module';
export { PrivacyService, type PersonExport, type AnonymisationResult } from './privacy.service';
export { REDACTED, ANONYMISED_NAME, anonymisedEmail, scrub } from './redaction';
export {
  ContractsService,
  type ContractView,
  type DeletionView,
} from './contract-end/contracts.service';
export { DeletionService } from './contract-end/deletion.service';
export { contractPlan, addDays, dayOf, isDate } from './contract-end/contract-dates';
export { DELETION_STEPS } from './contract-end/deletion-steps';
