/** Calendar dates (YYYY-MM-DD, the contract's own terms: no time of day, no zone) and what is due on one. */
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === s;
}

export const dayOf = (instant: Date | number): string =>
  new Date(instant).toISOString().slice(0, 10);
export const addDays = (date: string, n: number): string =>
  dayOf(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS);
/** Whole days from `a` to `b` (b − a). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

export interface ContractRules {
  deletionAfterDays: number;
  warningDays: number[];
}

export interface ContractPlan {
  deletionStartsOn: string;
  /** The warning due today, if any: about the contract end, or (after it) about the deletion. */
  warning: { kind: 'contract_end' | 'deletion'; daysBefore: number; on: string } | null;
  deletionDue: boolean;
}

/**
 * What is due for a contract ending on `endsOn` (its last day), seen on `today`: the warning with
 * the fewest days before its event that has been reached (one mail per threshold, however late the
 * date was set), and whether the deletion must start.
 */
export function contractPlan(endsOn: string, today: string, rules: ContractRules): ContractPlan {
  const deletionStartsOn = addDays(endsOn, rules.deletionAfterDays);
  const deletionDue = today >= deletionStartsOn;
  const reached = (on: string) => {
    const left = daysBetween(today, on);
    const ds = rules.warningDays.filter((d) => left <= d);
    return ds.length ? Math.min(...ds) : null;
  };
  let warning: ContractPlan['warning'] = null;
  if (!deletionDue) {
    if (today <= endsOn) {
      const d = reached(endsOn);
      if (d !== null) warning = { kind: 'contract_end', daysBefore: d, on: endsOn };
    } else {
      const d = reached(deletionStartsOn);
      if (d !== null) warning = { kind: 'deletion', daysBefore: d, on: deletionStartsOn };
    }
  }
  return { deletionStartsOn, warning, deletionDue };
}

/** The licence's second 30 days: once started, the deletion is complete within this many days. */
export const DELETION_COMPLETE_WITHIN_DAYS = 30;

/**
 * By when the deletion must be complete (the last day), and whether it is overdue on `today`: not
 * finished and that day has passed. Admins see it; an overdue deletion is a broken promise.
 */
export function deletionDeadline(
  deletionStartsOn: string,
  today: string,
  finished: boolean,
): { completeBy: string; overdue: boolean } {
  const completeBy = addDays(deletionStartsOn, DELETION_COMPLETE_WITHIN_DAYS);
  return { completeBy, overdue: !finished && today > completeBy };
}
