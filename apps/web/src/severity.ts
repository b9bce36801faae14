import type { Severity } from './api/types';

/**
 * The contract's meaning of each severity, word for word from the support policy §6
 * (docs/sla-rules.md §1). `emphasis` is the word the contract sets in bold.
 */
export const SEVERITY_MEANINGS: Record<
  Severity,
  { title: string; before: string; emphasis?: string; after?: string }
> = {
  1: {
    title: 'Severity 1',
    before:
      'operational problem with the platform that causes downtime, unresponsiveness or system errors for ',
    emphasis: 'all',
    after: ' users',
  },
  2: {
    title: 'Severity 2',
    before: 'operational problem that causes material degradation of performance for ',
    emphasis: 'isolated',
    after: ' users',
  },
  3: {
    title: 'Severity 3',
    before:
      'everything works, but there are cosmetic errors, documentation errors or enhancement requests',
  },
};

export function severityMeaning(s: Severity): string {
  const m = SEVERITY_MEANINGS[s];
  return `${m.before}${m.emphasis ?? ''}${m.after ?? ''}`;
}

export const SUPPORT_LEVELS: Record<number, string> = {
  1: 'Level 1: product information, accounts, diagnosis',
  2: 'Level 2: misconfigurations, isolating and reproducing problems',
  3: 'Level 3: fixing software faults',
};

export const METRIC_NAMES: Record<string, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  periodic_update: 'Periodic update',
  resolution: 'Resolution',
  notification: 'Security notification',
};

/** The ticket kinds, and what each promises (privacy policy; licence §3.6). */
export const KIND_NAMES: Record<string, string> = {
  standard: 'Support request',
  data_protection_request: 'Data-protection request (resolved within one month)',
  security_incident: 'Security incident (the customer told within 24 hours)',
};

/** Status as the customer reads it. */
export const STATUS_NAMES: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Waiting on you',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Status as staff read it. */
export const STAFF_STATUS_NAMES: Record<string, string> = {
  ...STATUS_NAMES,
  pending: 'Pending (waiting on the customer)',
};
