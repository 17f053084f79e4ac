/**
 * Rule evaluation throughput on the five seed segments: our compiled predicate against mingo
 * (the Mongo filter run in memory) and json-rules-engine, over the same synthetic contacts.
 * Engines too slow for the full set run on a prefix of it, and the output says so.
 */
import { performance } from 'node:perf_hooks';
import { Query } from 'mingo';
import type { Document } from 'mongodb';
import {
  compileMongo,
  compilePredicate,
  parseRule,
  type Condition,
  type Operator,
  type RelativeTime,
  type Rule,
  type RuleContact,
  type Value,
} from '../../src/rules';
import { syntheticContacts } from './contacts';
import { jsonRulesEngine, jsonRulesFor } from './jsonRules';
import {
  affordable,
  collect,
  countOurs,
  microsPerCall,
  type Run,
  timeAsync,
  timeHot,
  timeOursAndMingo,
} from './timing';

function cond(field: string, operator: Operator, value?: Value, not = false): Condition {
  const c: Condition = { kind: 'condition', field, operator };
  if (value !== undefined) c.value = value;
  if (not) c.not = true;
  return c;
}
const days = (amount: number): RelativeTime => ({ amount, unit: 'days' });

/** The five seed segments (DESIGN §3.3): their text, and the AST the parser should produce. */
export const SEED_SEGMENTS: [string, Rule][] = [
  [
    'lifetimeValue > 5000 OR tag = "VIP"',
    { kind: 'group', op: 'or', children: [cond('lifetimeValue', '>', 5000), cond('tags', 'has', 'VIP')] },
  ],
  ['lastConversationAt more than 30 days ago', cond('lastConversationAt', 'more than ago', days(30))],
  [
    'leadScore > 80 AND openDeals > 0',
    { kind: 'group', op: 'and', children: [cond('leadScore', '>', 80), cond('openDeals', '>', 0)] },
  ],
  ['createdAt within last 7 days', cond('createdAt', 'within last', days(7))],
  [
    'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
    {
      kind: 'group',
      op: 'and',
      children: [cond('supportTickets', '>', 3), cond('lastPurchaseAt', 'within last', days(60), true)],
    },
  ],
];

/** The parsed rule; the hand-built AST when the parser disagrees or fails (and says so). */
function seedRule(text: string, ast: Rule, log: (line: string) => void): Rule {
  try {
    const parsed = parseRule(text);
    if (JSON.stringify(parsed) === JSON.stringify(ast)) return parsed;
    log(`  note: parseRule gave ${JSON.stringify(parsed)}; using the hand-built AST`);
  } catch (e) {
    log(`  note: parseRule failed (${(e as Error).message}); using the hand-built AST`);
  }
  return ast;
}

/** Seconds each slower engine may spend per segment before it runs on a subset instead. */
const BUDGET_S = { mingo: 20, jre: 10 };

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const subset = (r: Run, all: number) => (r.evaluated < all ? ` (subset: first ${fmt(r.evaluated)})` : '');

/** Runs the rules benchmark and logs one block per seed segment. Returns false on a mismatch. */
export async function benchRules(
  log: (line: string) => void,
  opts: { contacts?: number } = {},
): Promise<boolean> {
  const total = opts.contacts ?? 1_000_000;
  const now = new Date('2025-06-15T12:00:00.000Z');
  let t0 = performance.now();
  const contacts = syntheticContacts(total, now);
  collect();
  log(`rules: ${fmt(total)} synthetic contacts generated in ${fmt(performance.now() - t0)} ms (seed 1)`);
  const jre = jsonRulesFor(now);
  let ok = true;
  for (const [i, [text, ast]] of SEED_SEGMENTS.entries()) {
    log(``);
    log(`segment ${i + 1}: ${text}`);
    const rule = seedRule(text, ast, log);
    const predicate = compilePredicate(rule);
    const filter = compileMongo(rule, now) as Document;
    const query = new Query(filter);
    const engine = jsonRulesEngine(jre[i] as never);
    const sample = contacts[0] as RuleContact;
    t0 = performance.now();
    const mingoN = await affordable(() => query.test(sample), BUDGET_S.mingo, total);
    const jreN = await affordable(() => engine(sample), BUDGET_S.jre, total);
    const { ours, mingo } = timeOursAndMingo(contacts, predicate, now, query, mingoN);
    const json = await timeAsync(contacts, jreN, engine);
    const hot = timeHot(contacts, predicate, now, query);
    const oursOnMingo = countOurs(contacts, mingo.evaluated, predicate, now);
    const oursOnJre = countOurs(contacts, json.evaluated, predicate, now);
    const compileUs = microsPerCall(() => compilePredicate(rule));
    const filterUs = microsPerCall(() => compileMongo(rule, now));
    const row = (name: string, r: Run, note: string) =>
      log(`  ${name.padEnd(18)} ${fmt(r.perSecond).padStart(12)} evals/s   matches ${fmt(r.count)}${note}`);
    log(
      `  compile (parse excluded): predicate ${compileUs.toFixed(1)} µs, mongo filter ${filterUs.toFixed(1)} µs`,
    );
    row('ours', ours, ` of ${fmt(ours.evaluated)}`);
    row('mingo', mingo, subset(mingo, total));
    row('json-rules-engine', json, subset(json, total));
    const ratio = (r: Run) => (ours.perSecond / r.perSecond).toFixed(1);
    log(`  ours/mingo ${ratio(mingo)}×   ours/json-rules-engine ${ratio(json)}×   (streaming all contacts)`);
    log(
      `  in cache (10k contacts × 20): ours ${fmt(hot.ours)}/s, mingo ${fmt(hot.mingo)}/s, ours/mingo ${(hot.ours / hot.mingo).toFixed(1)}×`,
    );
    if (mingo.count !== oursOnMingo) {
      ok = false;
      log(
        `  !!! MISMATCH: ours ${oursOnMingo} vs mingo ${mingo.count} on the same ${fmt(mingo.evaluated)} contacts !!!`,
      );
    }
    if (json.count !== oursOnJre) {
      log(
        `  note: json-rules-engine ${json.count} vs ours ${oursOnJre} on the same ${fmt(json.evaluated)} contacts`,
      );
    }
    log(`  (segment took ${fmt((performance.now() - t0) / 1000)} s)`);
  }
  return ok;
}
