/**
 * Seeded random contacts for differential tests of the rule engine. Values come from small pools
 * shared with randomRules.ts, so rule literals actually hit them: text differing only in case,
 * regex metacharacters, non-ASCII case pairs, dates on the exact boundaries of the relative
 * windows and absolute days, numbers next to the literals. Every field is sometimes missing, null
 * or of the wrong type; number/date/text fields stay scalar (DESIGN §2.1).
 */
import { STANDARD_FIELDS } from '../../src/rules/catalogue';
import type { RuleContact, RuleContext } from '../../src/rules/ast';
import { randomRanked } from './randomActivity';
import { Rng } from './rng';

export { Rng };
export { INTENT_POOL, randomRanked } from './randomActivity';

const H = 3_600_000;
const D = 86_400_000;

/** The reference instant; test `now`s are drawn close to it (see NOW_OFFSETS). */
export const NOW0 = Date.parse('2025-06-15T12:00:00.000Z');
export const NOW_OFFSETS = [0, 0, 0, 1, -1, H, -H, 3 * D + 7, -D];

/** Relative windows the rules use; contact dates sit on and next to their edges. */
export const RELATIVE = [
  { amount: 1, unit: 'days' },
  { amount: 7, unit: 'days' },
  { amount: 30, unit: 'days' },
  { amount: 60, unit: 'days' },
  { amount: 1, unit: 'hours' },
  { amount: 48, unit: 'hours' },
  { amount: 10, unit: 'minutes' },
] as const;
const unitMs = (u: string): number => (u === 'days' ? D : u === 'hours' ? H : 60_000);
const windowMs = RELATIVE.map((r) => r.amount * unitMs(r.unit));

export const DAYS = ['2025-06-15', '2025-06-14', '2025-05-16', '2025-01-01'];
export const INSTANTS = ['2025-06-15T12:00:00.000Z', '2025-06-15T11:59:59.999Z', '2025-05-16T00:00:00Z'];
const dayEdges = DAYS.flatMap((d) => [Date.parse(d), Date.parse(d) + D]);
const instantEdges = INSTANTS.map((i) => Date.parse(i));

/** Epoch ms values for dates: window edges, day edges and their 1 ms neighbours, a few others. */
export const DATE_POOL: number[] = [
  ...windowMs.map((w) => NOW0 - w),
  ...dayEdges,
  ...instantEdges,
  NOW0,
  NOW0 + D,
  NOW0 - 400 * D,
].flatMap((t) => [t - 1, t, t + 1]);

export const TEXT_POOL = [
  'Smith',
  'smith',
  'SMITH',
  'John Smith',
  'anna',
  'Anna-Lee',
  'a.b',
  'a+b',
  '(x)',
  '',
  ' ',
  'x\ny',
  'x\n',
  'Élodie',
  'élodie',
  'straße',
  'STRASSE',
  'İstanbul',
  'istanbul',
  '\u212a',
  'k',
  'K',
  'ſ',
  's',
  'S',
  '\u{10400}',
  '\u{10428}',
  '[vip]',
  '.*',
  '$where',
  '{"$gt":1}',
  'x$',
  '^x',
  'a|b',
  '\\',
  'nul\u0000',
  'acme.com',
  'ACME.com',
  'example.org',
  'john@acme.com',
  'JOHN@ACME.COM',
  '2025-06-15',
  '5',
  '100',
  'VIP',
  'vip',
];
export const NUMBER_POOL = [0, 1, 3, 4, 5, 80, 81, 100, 5000, 5000.5, 5001, -1, 1e9];
export const TAG_POOL = [
  'VIP',
  'vip',
  'Vip',
  'Beta',
  'beta',
  'BETA',
  'churn-risk',
  'Ω',
  'ω',
  'Straße',
  'a.b',
];
export const CUSTOM_KEYS = ['plan', 'region', 'score', 'flag', 'since', 'toString'];

/** Segment names the test context resolves, and their ids. */
export const SEGMENTS: Record<string, string> = { 'VIP Customers': 's1', 'At Risk': 's2', New: 's3' };
export const testContext: RuleContext = {
  resolveSegment: (name) => (Object.hasOwn(SEGMENTS, name) ? SEGMENTS[name] : undefined),
};

export function randomText(r: Rng): string {
  const t = r.pick(TEXT_POOL);
  if (t.length < 2 || !r.chance(0.2)) return t;
  const i = r.int(t.length);
  return r.chance(0.5) ? t.slice(0, i + 1) : t.slice(i);
}
export const randomNumber = (r: Rng): number =>
  r.chance(0.8) ? r.pick(NUMBER_POOL) : Math.round(r.next() * 20000 - 5000) / (r.chance(0.5) ? 1 : 4);
export const randomDate = (r: Rng): Date =>
  new Date(r.chance(0.85) ? r.pick(DATE_POOL) : NOW0 - r.int(90 * D) + 10 * D);

function randomScalar(r: Rng): unknown {
  switch (r.int(6)) {
    case 0:
      return randomText(r);
    case 1:
      return randomNumber(r);
    case 2:
      return randomDate(r);
    case 3:
      return r.chance(0.5);
    case 4:
      return new Date(r.pick(DATE_POOL)).toISOString(); // a string that looks like a date
    default:
      return null;
  }
}

function typed(r: Rng, type: string): unknown {
  if (r.chance(0.12)) return randomScalar(r); // wrong-typed (sometimes right by chance)
  if (type === 'string') return randomText(r);
  if (type === 'number') return r.chance(0.03) ? -0 : randomNumber(r);
  if (type === 'date') return randomDate(r);
  return r.chance(0.5);
}

function randomTags(r: Rng): unknown {
  const k = r.int(10);
  if (k === 0) return null;
  if (k === 1) return [];
  if (k === 2) return r.pick(TAG_POOL); // a scalar where an array belongs
  const tags: unknown[] = r.some(TAG_POOL, 4);
  if (r.chance(0.15)) tags.push(r.pick([5, null, true, new Date(NOW0)]));
  return tags;
}

function randomSegments(r: Rng): unknown {
  if (r.chance(0.1)) return [];
  const ids: unknown[] = ['s1', 's2', 's3', 'x', 'S1', 1];
  return r.some(ids, 3).map((segmentId) => ({ segmentId, since: new Date(NOW0 - D) }));
}

/** One random contact (no `_id`: the DB test adds it). */
export function randomContact(r: Rng): RuleContact {
  const c: RuleContact = {};
  for (const f of STANDARD_FIELDS) {
    if (f.type === 'segment' || r.chance(0.2)) continue; // missing
    if (r.chance(0.06)) {
      c[f.path] = null;
      continue;
    }
    c[f.path] =
      f.type === 'tags'
        ? randomTags(r)
        : f.type === 'activity' || f.type === 'intent'
          ? randomRanked(r, f.type === 'intent', () => randomDate(r))
          : typed(r, f.type);
  }
  if (r.chance(0.8)) {
    const custom: Record<string, unknown> = {};
    for (const k of CUSTOM_KEYS) if (r.chance(0.5)) custom[k] = randomScalar(r);
    c.custom = custom as RuleContact['custom'];
  } else if (r.chance(0.5)) {
    c.custom = null as unknown as RuleContact['custom'];
  }
  if (r.chance(0.75)) c.segments = randomSegments(r) as RuleContact['segments'];
  return c;
}

/** A random `now` near NOW0. */
export const randomNow = (r: Rng): Date => new Date(NOW0 + r.pick(NOW_OFFSETS));
