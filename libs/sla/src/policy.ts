import {
  CalendarError,
  DEFAULT_CALENDAR,
  parseCalendar,
  type CalendarDocument,
} from '@app/business-hours';
import {
  METRICS,
  SEVERITIES,
  type Severity,
  type SlaPolicy,
  type TargetRule,
  type WarningRule,
} from './types';

/** A policy document that cannot be used; the message says what is wrong. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const HOUR = 3600;
const firstResponse = (seconds: number): TargetRule[] => [
  { metric: 'first_response', seconds, clock: 'business' },
];

/** The support contract's terms (sla-rules.md §1–§3): first response in 1, 4 and 8 business hours. */
export const STANDARD_SUPPORT: SlaPolicy = {
  name: 'Standard support',
  calendar: DEFAULT_CALENDAR,
  targets: { 1: firstResponse(1 * HOUR), 2: firstResponse(4 * HOUR), 3: firstResponse(8 * HOUR) },
  alarms: { warningFraction: 0.75 },
  escalateOnBreach: true,
};

/** Office time of the second vendor's terms (seed 002): 08:00–17:00 Monday to Friday in Denmark. */
export const DANISH_OFFICE_HOURS: CalendarDocument = {
  timeZone: 'Europe/Copenhagen',
  week: {
    mon: [['08:00', '17:00']],
    tue: [['08:00', '17:00']],
    wed: [['08:00', '17:00']],
    thu: [['08:00', '17:00']],
    fri: [['08:00', '17:00']],
    sat: [],
    sun: [],
  },
  holidays: [],
  holidaySets: ['dk'],
  overrides: {},
};

/** Seed 002: work on a priority 1/2/3 problem begins within ½, 2 and 8 hours of office time. */
export const DANISH_TERMS: SlaPolicy = {
  name: 'Danish terms (priority 1–3)',
  calendar: DANISH_OFFICE_HOURS,
  targets: { 1: firstResponse(HOUR / 2), 2: firstResponse(2 * HOUR), 3: firstResponse(8 * HOUR) },
  alarms: { warningFraction: 0.75 },
  escalateOnBreach: true,
};

function parseRule(value: unknown, where: string): TargetRule {
  const rule = (value ?? {}) as Record<string, unknown>;
  if (!METRICS.includes(rule.metric as TargetRule['metric'])) {
    throw new PolicyError(`${where}.metric: expected one of ${METRICS.join(', ')}`);
  }
  if (typeof rule.seconds !== 'number' || !Number.isFinite(rule.seconds) || rule.seconds <= 0) {
    throw new PolicyError(`${where}.seconds: expected a number of seconds > 0`);
  }
  const clock = rule.clock ?? 'business';
  if (clock !== 'business' && clock !== 'calendar')
    throw new PolicyError(`${where}.clock: expected "business" or "calendar"`);
  const parsed: TargetRule = {
    metric: rule.metric as TargetRule['metric'],
    seconds: rule.seconds,
    clock,
  };
  if (rule.warning !== undefined) parsed.warning = parseWarning(rule.warning, rule.seconds, where);
  return parsed;
}

/** `{fraction}` (0 < f < 1), `{beforeSeconds}` (0 < s < the target), or null for no warning. */
function parseWarning(value: unknown, seconds: number, where: string): WarningRule {
  if (value === null) return null;
  const w = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const keys = Object.keys(w);
  if (keys.length === 1 && keys[0] === 'fraction') {
    if (typeof w.fraction === 'number' && w.fraction > 0 && w.fraction < 1)
      return { fraction: w.fraction };
    throw new PolicyError(
      `${where}.warning.fraction: expected a number between 0 and 1 (exclusive)`,
    );
  }
  if (keys.length === 1 && keys[0] === 'beforeSeconds') {
    const before = w.beforeSeconds;
    if (typeof before === 'number' && Number.isFinite(before) && before > 0 && before < seconds)
      return { beforeSeconds: before };
    throw new PolicyError(
      `${where}.warning.beforeSeconds: expected a number of seconds > 0 and less than the target (${seconds})`,
    );
  }
  throw new PolicyError(
    `${where}.warning: expected {"fraction": f}, {"beforeSeconds": s} or null for no warning`,
  );
}

/** Checks a policy document (targets keyed by severity "1", "2", "3") and returns it typed. */
export function parsePolicy(doc: unknown): SlaPolicy {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new PolicyError('policy: expected an object');
  const raw = doc as Record<string, unknown>;
  if (typeof raw.name !== 'string' || !raw.name.trim()) throw new PolicyError('name: required');
  let calendar: CalendarDocument;
  try {
    calendar = parseCalendar(raw.calendar);
  } catch (err) {
    if (err instanceof CalendarError) throw new PolicyError(`calendar: ${err.message}`);
    throw err;
  }
  const targetsRaw = (raw.targets ?? {}) as Record<string, unknown>;
  if (typeof targetsRaw !== 'object' || Array.isArray(targetsRaw))
    throw new PolicyError('targets: expected an object keyed by severity 1, 2, 3');
  const targets = {} as Record<Severity, TargetRule[]>;
  for (const severity of SEVERITIES) {
    const list = targetsRaw[String(severity)] ?? [];
    if (!Array.isArray(list))
      throw new PolicyError(`targets.${severity}: expected a list of targets`);
    targets[severity] = list.map((r, i) => parseRule(r, `targets.${severity}[${i}]`));
    const metrics = targets[severity].map((r) => r.metric);
    if (new Set(metrics).size !== metrics.length)
      throw new PolicyError(`targets.${severity}: a metric appears twice`);
  }
  const alarms = (raw.alarms ?? {}) as Record<string, unknown>;
  const fraction = alarms.warningFraction === undefined ? 0.75 : alarms.warningFraction;
  if (fraction !== null && (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1))) {
    throw new PolicyError(
      'alarms.warningFraction: expected a number between 0 and 1 (exclusive), or null for no warning',
    );
  }
  if (raw.escalateOnBreach !== undefined && typeof raw.escalateOnBreach !== 'boolean') {
    throw new PolicyError('escalateOnBreach: expected true or false');
  }
  return {
    name: raw.name.trim(),
    calendar,
    targets,
    alarms: { warningFraction: fraction as number | null },
    escalateOnBreach: (raw.escalateOnBreach as boolean | undefined) ?? false,
  };
}
