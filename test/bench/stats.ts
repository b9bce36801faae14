/** Percentiles of a sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
