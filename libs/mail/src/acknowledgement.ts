import type { Severity } from '@app/sla';
import { safeHeaderText } from './safe-headers';

/** The contract's words for each severity (support policy §6), as the acknowledgement repeats them. */
export const SEVERITY_MEANING: Record<Severity, string> = {
  1: 'an operational problem with the platform that causes downtime, unresponsiveness or system errors for all users',
  2: 'an operational problem that causes material degradation of performance for isolated users',
  3: 'everything works, but there are cosmetic errors, documentation errors or enhancement requests',
};

export interface AcknowledgementInput {
  reference: string;
  title: string;
  severity: Severity;
  /** Whether the severity came from a tag in the subject (else the organisation's default). */
  severityFromTag: boolean;
  firstResponseDueAt: Date | null;
  portalUrl: string;
}

/** Subject of everything we send about a ticket: the reference in brackets, so replies find their way back. */
export function ticketSubject(reference: string, title: string, prefix = ''): string {
  return safeHeaderText(`${prefix}[${reference}] ${title}`, 200);
}

export function acknowledgementText(a: AcknowledgementInput): { subject: string; body: string } {
  const due = a.firstResponseDueAt
    ? a.firstResponseDueAt
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace('T', ' ')
        .replace('Z', ' UTC')
    : null;
  const body = [
    `We have received your request and opened ticket ${a.reference}: ${safeHeaderText(a.title, 200)}`,
    '',
    `Severity: ${a.severity} (${a.severityFromTag ? 'as tagged in your subject' : "your organisation's default"}), meaning ${SEVERITY_MEANING[a.severity]}.`,
    due ? `We will answer by ${due} at the latest.` : 'We will answer as soon as we can.',
    '',
    `To change the severity, reply to this mail with [S1], [S2] or [S3] in the subject, or change it on the ticket: ${a.portalUrl}`,
    `Please keep [${a.reference}] in the subject when you write about this request.`,
    '',
    'This is an automatic message.',
  ].join('\n');
  return { subject: ticketSubject(a.reference, a.title), body };
}

export function refusalText(subject: string): { subject: string; body: string } {
  return {
    subject: safeHeaderText(`Re: ${subject}`, 200),
    body: [
      'Thank you for your message.',
      '',
      'This address takes support requests from our customers only, and we could not match your address to a customer account,',
      'so no ticket was opened. If you are a customer, please write from your registered address or ask your administrator to add you.',
      '',
      'This is an automatic message.',
    ].join('\n'),
  };
}
