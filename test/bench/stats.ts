import { readFileSync } from 'node:fs';

/** Percentiles of a sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

/** CPU seconds (user + system) a process and its children (cluster workers) have used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    /* no children file */
  }
  return (
    (Number(fields[11]) + Number(fields[12])) / 100 +
    children.reduce((sum, c) => sum + cpuSeconds(c), 0)
  );
}
