/**
 * Timing helpers for the rule benchmarks. Ours and mingo are timed interleaved, block by block
 * over the same contacts, so that both see the same machine load (the bench machine is shared);
 * each engine has its own loop so that its call site stays monomorphic.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Query } from 'mingo';
import type { Predicate, RuleContact } from '../../src/rules';

export interface Run {
  count: number;
  evaluated: number;
  perSecond: number;
}

const BLOCK = 10_000;

// `npm run bench` passes no node options; the flag can still be set at run time.
v8.setFlagsFromString('--expose-gc');
/** A full garbage collection, so that no engine pays for garbage made before its run. */
export const collect = vm.runInNewContext('gc') as () => void;

function oursBlock(cs: RuleContact[], from: number, to: number, p: Predicate, now: Date): number {
  let count = 0;
  for (let i = from; i < to; i++) if (p(cs[i] as RuleContact, now)) count++;
  return count;
}

function mingoBlock(cs: RuleContact[], from: number, to: number, q: Query): number {
  let count = 0;
  for (let i = from; i < to; i++) if (q.test(cs[i] as RuleContact)) count++;
  return count;
}

/**
 * Ours over all contacts and mingo over the first `mingoLimit`, interleaved in blocks, after a
 * warm-up of a whole pass for ours (cheap) and 100k evaluations for mingo.
 */
export function timeOursAndMingo(
  cs: RuleContact[],
  p: Predicate,
  now: Date,
  q: Query,
  mingoLimit: number,
): { ours: Run; mingo: Run } {
  oursBlock(cs, 0, cs.length, p, now);
  mingoBlock(cs, 0, Math.min(100_000, mingoLimit), q);
  collect();
  const ours = { count: 0, evaluated: cs.length, ms: 0 };
  const mingo = { count: 0, evaluated: Math.min(mingoLimit, cs.length), ms: 0 };
  for (let from = 0; from < cs.length; from += BLOCK) {
    const to = Math.min(cs.length, from + BLOCK);
    let t0 = performance.now();
    ours.count += oursBlock(cs, from, to, p, now);
    ours.ms += performance.now() - t0;
    if (to > mingo.evaluated) continue;
    t0 = performance.now();
    mingo.count += mingoBlock(cs, from, to, q);
    mingo.ms += performance.now() - t0;
  }
  const rate = (r: { count: number; evaluated: number; ms: number }): Run => ({
    count: r.count,
    evaluated: r.evaluated,
    perSecond: r.evaluated / (r.ms / 1000),
  });
  return { ours: rate(ours), mingo: rate(mingo) };
}

/**
 * Per-evaluation cost with the contacts in cache, as in the membership engine (one contact, just
 * loaded): the first 10,000 contacts, 20 interleaved passes. Returns evaluations/s per engine.
 */
export function timeHot(
  cs: RuleContact[],
  p: Predicate,
  now: Date,
  q: Query,
): { ours: number; mingo: number } {
  const n = Math.min(10_000, cs.length);
  let ours = 0;
  let mingo = 0;
  for (let pass = 0; pass < 20; pass++) {
    let t0 = performance.now();
    oursBlock(cs, 0, n, p, now);
    ours += performance.now() - t0;
    t0 = performance.now();
    mingoBlock(cs, 0, n, q);
    mingo += performance.now() - t0;
  }
  return { ours: (20 * n) / (ours / 1000), mingo: (20 * n) / (mingo / 1000) };
}

/** How many matches ours finds among the first `n` contacts. */
export const countOurs = (cs: RuleContact[], n: number, p: Predicate, now: Date): number =>
  oursBlock(cs, 0, Math.min(n, cs.length), p, now);

/** An async engine, one awaited evaluation after another (as a caller would use it). */
export async function timeAsync(
  cs: RuleContact[],
  limit: number,
  test: (c: RuleContact) => Promise<boolean>,
): Promise<Run> {
  const n = Math.min(limit, cs.length);
  for (let i = 0; i < Math.min(n, 2_000); i++) await test(cs[i] as RuleContact);
  collect();
  let count = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (await test(cs[i] as RuleContact)) count++;
  return { count, evaluated: n, perSecond: n / ((performance.now() - t0) / 1000) };
}

/** How many evaluations fit in `budget` seconds, from a short timed probe (at least 10,000). */
export async function affordable(call: () => unknown, budget: number, max: number): Promise<number> {
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < 300) {
    await call();
    k++;
  }
  const rate = k / ((performance.now() - t0) / 1000);
  return Math.min(max, Math.max(10_000, Math.floor((rate * budget) / 10_000) * 10_000));
}

/** Mean µs per call of `fn` over 20,000 calls after 2,000 warm-up calls. */
export function microsPerCall(fn: () => unknown): number {
  for (let i = 0; i < 2_000; i++) fn();
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}
