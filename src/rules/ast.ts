/**
 * The rule AST (DESIGN §3.2). Rules are stored as this JSON as is, so every value is plain JSON:
 * dates are ISO strings, never Date objects, and no key starts with `$` or contains `.`.
 */

export type Rule = Group | Condition;

export interface Group {
  kind: 'group';
  op: 'and' | 'or';
  /** Boolean negation of the whole group. Omitted when false. */
  not?: boolean;
  /** 1..50 children; the whole tree is at most 8 levels deep. */
  children: Rule[];
}

export interface Condition {
  kind: 'condition';
  /** A catalogue field: `lifetimeValue`, `tags`, `segment`, `custom.<key>`, ... */
  field: string;
  operator: Operator;
  /** Shape depends on the operator: see ValueOf below. Absent for value-less operators. */
  value?: Value;
  /** Boolean negation of the condition. Omitted when false. */
  not?: boolean;
}

/** A length of time relative to the evaluation instant `now`. */
export interface RelativeTime {
  amount: number; // integer, 1..100000
  unit: 'days' | 'hours' | 'minutes';
}

/**
 * A count of recent occurrences for the conversation-aware fields: `conversations` (how many
 * conversations) and `intents` (how many messages mentioned `intent`) since `now − last`, compared
 * with `count` by the condition's operator (`>=`, `>`, `<`, `<=`, `=`). `count` is 0..20 and the
 * window at most 90 days (what the contact keeps: src/domain/conversations/activity.ts).
 */
export interface WindowCount {
  count: number;
  last: RelativeTime;
  /** `intents` only: an intent of the keyword table (lower case), never raw message text. */
  intent?: string;
}

/**
 * Values, by operator:
 * - `=`, `!=`, `contains`, `not contains`, `starts with`, `ends with`: string (text fields) or
 *   number (`=`/`!=` on number fields, or on `custom.*` where the literal's type decides)
 * - `>`, `>=`, `<`, `<=`: number
 * - `between`: [low, high] numbers, low <= high, inclusive both ends
 * - `in`, `not in`: non-empty array (<= 1000) of strings or of numbers (not mixed)
 * - `before`, `after`, `on`: ISO date string `YYYY-MM-DD` (a UTC day) or, for before/after only,
 *   an ISO instant `YYYY-MM-DDTHH:mm:ss(.sss)Z`. before X: value < start of X;
 *   after X: value >= end of X (end of a day is the next day's 00:00; end of an instant is +1 ms);
 *   on D: start of D <= value < end of D.
 * - `within last`, `more than ago`: RelativeTime
 * - `has` (tags): string; `has any of` / `has all of` / `has none of`: non-empty string array
 * - `in segment`: the segment's name (string); "not in segment" is `in segment` with `not: true`
 * - `conversations` / `intents` with `>=`, `>`, `<`, `<=`, `=`: WindowCount
 * - `exists`, `not exists`, `is true`, `is false`: no value
 */
export type Value = string | number | [number, number] | string[] | number[] | RelativeTime | WindowCount;

export const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'between',
  'contains',
  'not contains',
  'starts with',
  'ends with',
  'in',
  'not in',
  'exists',
  'not exists',
  'before',
  'after',
  'on',
  'within last',
  'more than ago',
  'has',
  'has any of',
  'has all of',
  'has none of',
  'is true',
  'is false',
  'in segment',
] as const;

export type Operator = (typeof OPERATORS)[number];

/**
 * Resolves what a rule names outside itself. `resolveSegment` maps a segment name to the id
 * stored in `contact.segments[].segmentId` (a string), or undefined when there is no such segment.
 */
export interface RuleContext {
  resolveSegment(name: string): string | undefined;
}

/**
 * The contact shape rules are evaluated against (DESIGN §3.1): plain fields, `tags`, `custom`,
 * and the materialised `segments`. Unknown or missing fields are simply absent.
 */
export interface RuleContact {
  [field: string]: unknown;
  tags?: string[];
  custom?: Record<string, string | number | boolean | Date | null>;
  segments?: { segmentId: string; since?: Date }[];
}

/** Limits enforced by parseRule and validateRule (beyond them: a validation error). */
export const RULE_LIMITS = {
  maxDepth: 8,
  maxChildren: 50,
  maxConditions: 200,
  maxListValues: 1000,
  maxTextLength: 10_000,
  maxStringLength: 1000,
  /** All `contains` / `not contains` / `ends with` literals together (see cost.ts). */
  maxSubstringChars: 2000,
  maxRelativeAmount: 100_000,
} as const;
