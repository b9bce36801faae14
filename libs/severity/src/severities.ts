/** The contract's severity levels, word for word as shown to the person raising a ticket (sla-rules.md §1). */
export const SEVERITY_MEANINGS = [
  {
    severity: 1,
    name: 'Severity 1',
    meaning:
      'Operational problem with the platform that causes downtime, unresponsiveness or system errors for all users.',
  },
  {
    severity: 2,
    name: 'Severity 2',
    meaning:
      'Operational problem that causes material degradation of performance for isolated users.',
  },
  {
    severity: 3,
    name: 'Severity 3',
    meaning:
      'Everything works, but there are cosmetic errors, documentation errors or enhancement requests.',
  },
] as const;
