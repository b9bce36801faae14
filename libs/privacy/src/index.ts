export { PrivacyModule } from './privacy.module';
export { PrivacyService, type PersonExport, type AnonymisationResult } from './privacy.service';
export { REDACTED, ANONYMISED_NAME, anonymisedEmail, scrub } from './redaction';
