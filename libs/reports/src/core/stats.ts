/** Nearest-rank percentile (p in (0, 1]) of the values; null when there are none. */
export function nearestRank(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort(); // numeric order, natively
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

/** a ÷ b, or null when b = 0. */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Business seconds → whole minutes (the one rounding every per-ticket duration uses). */
export const wholeMinutes = (seconds: number): number => Math.round(seconds / 60);
