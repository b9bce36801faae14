/** Quarters as `2026-Q4`, newest first: the current one (a live draft) and the eight before it. */
export function recentQuarters(now: Date = new Date(), count = 9): string[] {
  let year = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}
