/**
 * fast-check arbitraries of valid, canonical rule ASTs (what validateRule returns), for property
 * tests of anything that consumes rules. They cover every field type and operator, custom fields,
 * `not` flags, one-child and nested groups, and strings chosen to break quoting and keywords.
 */
import fc from 'fast-check';
import { MAX_RANK } from '../../src/domain/conversations/activity';
import { INTENTS } from '../../src/domain/conversations/intents';
import {
  RULE_LIMITS,
  type Condition,
  type Group,
  type Operator,
  type Rule,
  type Value,
} from '../../src/rules/ast';
import { OPERATORS_BY_TYPE, STANDARD_FIELDS, type FieldType } from '../../src/rules/catalogue';
import { substringChars } from '../../src/rules/cost';
import { valueKind, type ValueKind } from '../../src/rules/checks';

/** The shape of the generated trees; the defaults keep runs fast. */
export interface RuleArbitraryOptions {
  /** Levels, counting the root as 1 and conditions as a level (1..8, default 4). */
  maxDepth?: number;
  /** Children per group (1..50, default 4). */
  maxChildren?: number;
  /** Relative weight of a group against a condition (3) at each level below the root (default 1). */
  groupWeight?: number;
}

const TRICKY = [
  ...['', ' ', 'AND', 'or', 'NOT', 'not in segment', ') OR (', '"', '\\', '\\"', 'a"b\\c', '\\u0041'],
  ...[
    '\n\t\r',
    '\u0000\u001f\u007f',
    '\u2028\u2029',
    '\uD800',
    'x\uDC00',
    '😀',
    'é',
    '日本語',
    'tag = "VIP"',
  ],
  ...['2026-01-15', '12', '-0', 'true', '$gt', '__proto__', 'x'.repeat(RULE_LIMITS.maxStringLength)],
];

/** Strings a user might type, and strings meant to break the quoting. */
export const arbText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Finite numbers, never -0 (which JSON cannot carry). */
export const arbNumber: fc.Arbitrary<number> = fc
  .oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0.1, -1.5, 1e21, 1.5e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER),
  )
  .map((n) => (n === 0 ? 0 : n));

const arbDate = fc.date({
  min: new Date('0000-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
const arbDay = arbDate.map((d) => d.toISOString().slice(0, 10));
const arbInstant = fc
  .tuple(arbDate, fc.boolean())
  .map(([d, ms]) => (ms ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z')));
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 5 });

const VALUES: Record<Exclude<ValueKind, 'none' | 'windowCount' | 'intentCount'>, fc.Arbitrary<Value>> = {
  string: arbText,
  name: arbText.filter((s) => s.length > 0),
  number: arbNumber,
  scalar: fc.oneof(arbText, arbNumber),
  pair: fc.tuple(arbNumber, arbNumber).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
  stringList: list(arbText),
  numberList: list(arbNumber),
  list: fc.oneof(list(arbText), list(arbNumber)),
  instant: fc.oneof(arbDay, arbInstant),
  day: arbDay,
  relative: fc.record({
    amount: fc.oneof(fc.integer({ min: 1, max: RULE_LIMITS.maxRelativeAmount }), fc.constant(1)),
    unit: fc.constantFrom('days' as const, 'hours' as const, 'minutes' as const),
  }),
};

/** A window of at most 90 days (what the contact keeps). */
const arbWindow = fc.oneof(
  fc.record({ amount: fc.integer({ min: 1, max: 90 }), unit: fc.constant('days' as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 2160 }), unit: fc.constant('hours' as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 100_000 }), unit: fc.constant('minutes' as const) }),
);

/** A windowed count the operator can test: ranks 1..20 (see windowValue.ranksFor). */
function arbWindowCount(op: Operator, intent: boolean): fc.Arbitrary<Value> {
  const low = op === '>=' || op === '<' ? 1 : 0;
  const high = op === '>=' || op === '<' ? MAX_RANK : MAX_RANK - 1;
  const base = { count: fc.integer({ min: low, max: high }), last: arbWindow };
  return intent ? fc.record({ intent: fc.constantFrom(...INTENTS), ...base }) : fc.record(base);
}

/** Custom keys, including ones that look like keywords or numbers. */
export const arbCustomKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('plan', 'region', 'and', 'NOT', 'in', '-', '_', '0', 'a-b_C9', 'x'.repeat(64)),
  fc
    .stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
    .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
);

const arbField: fc.Arbitrary<{ name: string; type: FieldType }> = fc.oneof(
  fc.constantFrom(...STANDARD_FIELDS.map((f) => ({ name: f.name, type: f.type }))),
  arbCustomKey.map((k) => ({ name: `custom.${k}`, type: 'custom' as const })),
);

/** One valid condition on any catalogue field with any operator its type allows. */
export const arbCondition: fc.Arbitrary<Condition> = arbField.chain(({ name, type }) =>
  fc.constantFrom(...OPERATORS_BY_TYPE[type]).chain((operator) => {
    const kind = valueKind(type, operator);
    const value =
      kind === 'none'
        ? fc.constant(undefined)
        : kind === 'windowCount' || kind === 'intentCount'
          ? arbWindowCount(operator, kind === 'intentCount')
          : VALUES[kind];
    return fc.tuple(value, fc.boolean()).map(([v, not]) => {
      const c: Condition = { kind: 'condition', field: name, operator };
      if (v !== undefined) c.value = v;
      if (not) c.not = true;
      return c;
    });
  }),
);

function countConditions(r: Rule): number {
  return r.kind === 'condition' ? 1 : r.children.reduce((n, c) => n + countConditions(c), 0);
}

/** Valid rules: bare conditions or groups up to `maxDepth` levels, at most 200 conditions. */
export function arbRule(options: RuleArbitraryOptions = {}): fc.Arbitrary<Rule> {
  const maxDepth = Math.min(options.maxDepth ?? 4, RULE_LIMITS.maxDepth);
  const maxChildren = Math.min(options.maxChildren ?? 4, RULE_LIMITS.maxChildren);
  const groupWeight = options.groupWeight ?? 1;
  const at = (level: number): fc.Arbitrary<Rule> => {
    if (level >= maxDepth) return arbCondition;
    const group = fc
      .tuple(fc.array(at(level + 1), { minLength: 1, maxLength: maxChildren }), fc.boolean(), fc.boolean())
      .map(([children, or, not]): Group => {
        const g: Group = { kind: 'group', op: or && children.length > 1 ? 'or' : 'and', children };
        if (not) g.not = true;
        return g;
      });
    // The root is a group more often than not, so most runs exercise AND/OR and parentheses.
    const weight = level === 1 ? 6 : groupWeight;
    return fc.oneof({ weight: 3, arbitrary: arbCondition }, { weight, arbitrary: group });
  };
  // Within every limit the parser and validator enforce, the substring budget included.
  return at(1).filter(
    (r) =>
      countConditions(r) <= RULE_LIMITS.maxConditions && substringChars(r) <= RULE_LIMITS.maxSubstringChars,
  );
}
