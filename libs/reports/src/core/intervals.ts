// Half-open UTC intervals [start, end) in ms: union, intersection, difference, measure.

export type Interval = [number, number];

/** Sorted, merged, non-empty. */
export function union(list: Interval[]): Interval[] {
  const sorted = list.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Intersection of two merged lists. */
export function intersect(xs: Interval[], ys: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    const a = Math.max(xs[i][0], ys[j][0]);
    const b = Math.min(xs[i][1], ys[j][1]);
    if (a < b) out.push([a, b]);
    if (xs[i][1] < ys[j][1]) i++;
    else j++;
  }
  return out;
}

/** xs minus ys (both merged). */
export function subtract(xs: Interval[], ys: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a0, b] of xs) {
    let a = a0;
    for (const [c, d] of ys) {
      if (d <= a || c >= b) continue;
      if (c > a) out.push([a, c]);
      a = Math.max(a, d);
      if (a >= b) break;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

export const clip = (xs: Interval[], from: number, to: number): Interval[] =>
  intersect(xs, from < to ? [[from, to]] : []);

/** Total length in ms. */
export const measure = (xs: Interval[]): number => xs.reduce((s, [a, b]) => s + (b - a), 0);

/**
 * The leading part of `xs` (merged) whose length is `amount` ms, and the rest.
 */
export function splitAtMeasure(xs: Interval[], amount: number): [Interval[], Interval[]] {
  const head: Interval[] = [];
  const tail: Interval[] = [];
  let left = amount;
  for (const [a, b] of xs) {
    if (left <= 0) tail.push([a, b]);
    else if (b - a <= left) {
      head.push([a, b]);
      left -= b - a;
    } else {
      head.push([a, a + left]);
      tail.push([a + left, b]);
      left = 0;
    }
  }
  return [head, tail];
}

/** ms → minutes, without float noise (3 decimals). */
export const minutes = (ms: number): number => Math.round(ms / 60) / 1000;
