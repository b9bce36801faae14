// Contract terms a policy carries beside its targets: availability goal, what availability is
// measured over, maintenance notice and cap, service goals (reports.md, "Incidents and availability").
import { parseCalendar, type CalendarDocument } from '@app/business-hours';
import { ReportInputError } from './period';

export type ServiceGoalKey =
  'firstContactResolution' | 'qualifiedAnswerMinutes' | 'remediedByNextDay';
export const SERVICE_GOAL_KEYS: readonly ServiceGoalKey[] = [
  'firstContactResolution',
  'qualifiedAnswerMinutes',
  'remediedByNextDay',
];

export interface ContractTerms {
  /** e.g. 0.995 (support policy §1) or 0.99 (the Danish terms). */
  availabilityGoal: number;
  /** Agreed operating time availability is measured over; null: the whole month. */
  operatingTime: CalendarDocument | null;
  /** Working days' notice a maintenance window needs (counted in the policy calendar); null: none. */
  maintenanceNoticeWorkingDays: number | null;
  /** Minutes of maintenance (within operating time) a month may exclude; null: no cap. */
  maintenanceMonthlyCapMinutes: number | null;
  serviceGoals: { key: ServiceGoalKey; goal: number }[];
}

/** Support policy (004_…): 99.5% of each month, planned maintenance excluded. */
export const STANDARD_TERMS: ContractTerms = {
  availabilityGoal: 0.995,
  operatingTime: null,
  maintenanceNoticeWorkingDays: null,
  maintenanceMonthlyCapMinutes: null,
  serviceGoals: [],
};

const weekday = [['08:00', '22:00']] as [string, string][];
/** The Danish terms (002_… §4–5): operating time 08–22 Mon–Fri, 99%, 3 working days' notice, 8 h a month. */
export const DANISH_CONTRACT_TERMS: ContractTerms = {
  availabilityGoal: 0.99,
  operatingTime: {
    timeZone: 'Europe/Copenhagen',
    week: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: [],
      sun: [],
    },
    holidays: [],
    holidaySets: [],
    overrides: {},
  },
  maintenanceNoticeWorkingDays: 3,
  maintenanceMonthlyCapMinutes: 480,
  serviceGoals: [
    { key: 'firstContactResolution', goal: 0.8 },
    { key: 'qualifiedAnswerMinutes', goal: 240 },
    { key: 'remediedByNextDay', goal: 0.95 },
  ],
};

const fail = (m: string): never => {
  throw new ReportInputError(m);
};
const optionalCount = (v: unknown, where: string): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    fail(`${where}: expected a whole number ≥ 0, or null`);
  return v as number;
};

/** Checks a contract terms document; the message names what is wrong. */
export function parseTerms(doc: unknown): ContractTerms {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    fail('contract terms: expected an object');
  const raw = doc as Record<string, unknown>;
  const goal = raw.availabilityGoal;
  if (typeof goal !== 'number' || !(goal > 0 && goal <= 1))
    fail('availabilityGoal: expected a fraction 0 < goal ≤ 1, e.g. 0.995');
  let operatingTime: CalendarDocument | null = null;
  if (raw.operatingTime !== null && raw.operatingTime !== undefined) {
    try {
      operatingTime = parseCalendar(raw.operatingTime);
    } catch (err) {
      fail(`operatingTime: ${(err as Error).message}`);
    }
  }
  const goalsRaw = raw.serviceGoals ?? [];
  if (!Array.isArray(goalsRaw)) fail('serviceGoals: expected a list');
  const serviceGoals = (goalsRaw as unknown[]).map((g, i) => {
    const r = (g ?? {}) as Record<string, unknown>;
    if (!SERVICE_GOAL_KEYS.includes(r.key as ServiceGoalKey))
      fail(`serviceGoals[${i}].key: expected one of ${SERVICE_GOAL_KEYS.join(', ')}`);
    if (typeof r.goal !== 'number' || !Number.isFinite(r.goal) || r.goal <= 0)
      fail(`serviceGoals[${i}].goal: expected a number > 0`);
    return { key: r.key as ServiceGoalKey, goal: r.goal as number };
  });
  return {
    availabilityGoal: goal as number,
    operatingTime,
    maintenanceNoticeWorkingDays: optionalCount(
      raw.maintenanceNoticeWorkingDays,
      'maintenanceNoticeWorkingDays',
    ),
    maintenanceMonthlyCapMinutes: optionalCount(
      raw.maintenanceMonthlyCapMinutes,
      'maintenanceMonthlyCapMinutes',
    ),
    serviceGoals,
  };
}
