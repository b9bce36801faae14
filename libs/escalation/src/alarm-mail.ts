import type { AlarmKind } from '@app/config';

export interface AlarmFacts {
  reference: string;
  subject: string;
  organization: string;
  severity: number;
  metric: string;
  kind: AlarmKind;
  dueAt: Date;
  firedAt: Date;
  supportLevel: number;
  restricted: boolean;
  publicUrl: string;
  ticketId: string;
  /** The round of the target (next response: one a customer message); 1 when omitted. */
  round?: number;
  /** The ticket's kind; standard when omitted. */
  ticketKind?: string;
}

const METRIC_WORDS: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  periodic_update: 'periodic update',
  resolution: 'resolution',
  notification: 'security notification (24 h)',
};
const KIND_WORDS: Record<string, string> = {
  data_protection_request: 'data-protection request (one month to resolve)',
  security_incident: 'security incident (the customer told within 24 hours)',
};

/** "1 h 5 min", "42 s". */
export function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, !d && !h && `${s % 60} s`].filter(
    Boolean,
  );
  return parts.join(' ');
}

/** The admins' alarm mail: names the ticket, customer, severity, target, due time and how late. */
export function alarmMail(f: AlarmFacts): { subject: string; body: string } {
  const round = f.round && f.round > 1 ? ` (round ${f.round})` : '';
  const target = `${METRIC_WORDS[f.metric] ?? f.metric}${round}`;
  const late = f.firedAt.getTime() - f.dueAt.getTime();
  const what = f.kind === 'breach' ? 'SLA BREACH' : 'SLA warning';
  const subject = `[${f.reference}] ${what}: ${target} target, severity ${f.severity}, ${f.organization}`;
  const timing =
    f.kind === 'breach'
      ? `The ${target} target was due at ${f.dueAt.toISOString()} and is now ${duration(late)} late (alarm fired at ${f.firedAt.toISOString()}).`
      : `The ${target} warning point was ${f.dueAt.toISOString()}; this alarm fired ${duration(late)} after it (at ${f.firedAt.toISOString()}).`;
  const body = [
    `${what} for ticket ${f.reference}`,
    '',
    `Ticket:    ${f.reference}${f.restricted ? ' (OFFICIAL-SENSITIVE)' : ` — ${f.subject}`}`,
    `Customer:  ${f.organization}`,
    `Severity:  ${f.severity}`,
    ...(f.ticketKind && KIND_WORDS[f.ticketKind] ? [`Kind:      ${KIND_WORDS[f.ticketKind]}`] : []),
    `Target:    ${target}`,
    `Support level: ${f.supportLevel}`,
    '',
    timing,
    '',
    `${f.publicUrl.replace(/\/$/, '')}/tickets/${f.ticketId}`,
  ].join('\n');
  return { subject, body };
}
