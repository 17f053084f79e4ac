/** Small helpers shared by the membership benchmarks: percentiles and number formatting. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of `xs` (milliseconds in, milliseconds out). */
export function summarize(xs: readonly number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const sum = s.reduce((a, b) => a + b, 0);
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? NaN, mean: sum / s.length };
}

/** A whole number with thousands separators. */
export const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Milliseconds with a precision that suits their size. */
export const ms = (x: number): string => `${x >= 100 ? fmt(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;

/** `p50 … p99 … max … (n)` of a latency summary. */
export const line = (s: Summary): string =>
  `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}, mean ${ms(s.mean)} (n=${fmt(s.n)})`;

/** Median of a few repeated timings. */
export const median = (xs: readonly number[]): number => summarize(xs).p50;
