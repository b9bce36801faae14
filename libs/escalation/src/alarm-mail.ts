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
}

const METRIC_WORDS: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  periodic_update: 'periodic update',
  resolution: 'resolution',
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
  const target = METRIC_WORDS[f.metric] ?? f.metric;
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
    `Target:    ${target}`,
    `Support level: ${f.supportLevel}`,
    '',
    timing,
    '',
    `${f.publicUrl.replace(/\/$/, '')}/tickets/${f.ticketId}`,
  ].join('\n');
  return { subject, body };
}
