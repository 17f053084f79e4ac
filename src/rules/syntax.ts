/**
 * The vocabulary of the rule text form, shared by the parser and the formatter so that what one
 * prints the other reads.
 */
import type { Operator } from './ast';
import { OPERATORS_BY_TYPE, STANDARD_FIELDS, lookupField, type FieldInfo, type FieldType } from './catalogue';

/** The operator as written in text (lower case); `more than ago` wraps its amount. */
export const OPERATOR_TEXT: Readonly<Record<Operator, string>> = {
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  between: 'between',
  contains: 'contains',
  'not contains': 'not contains',
  'starts with': 'starts with',
  'ends with': 'ends with',
  in: 'in',
  'not in': 'not in',
  exists: 'exists',
  'not exists': 'not exists',
  before: 'before',
  after: 'after',
  on: 'on',
  'within last': 'within last',
  'more than ago': 'more than … ago',
  has: 'has',
  'has any of': 'has any of',
  'has all of': 'has all of',
  'has none of': 'has none of',
  'is true': 'is true',
  'is false': 'is false',
  'in segment': 'in segment',
};

/** The operators a field type allows, as text, for "expected ..." messages. */
export function operatorsAsText(type: FieldType): string[] {
  const ops = OPERATORS_BY_TYPE[type].map((op) => `"${OPERATOR_TEXT[op]}"`);
  // Tags read `tag = "VIP"` / `tag != "VIP"` as has / NOT has.
  return type === 'tags' ? ['"="', '"!="', ...ops] : ops;
}

/** The "expected" hint for a missing or unknown field. */
export const FIELD_HINT = 'a field such as lifetimeValue, tag, custom.<key>';

/**
 * The catalogue entry a field name in text refers to. Text says `tag` or `tags` for the tags
 * field; `segment` is only reachable through `in segment "Name"`.
 */
export function fieldFromText(word: string): FieldInfo | undefined {
  // Reachable only through their phrases (`in segment`, `asked about`, `conversations in last`).
  if (word === 'segment' || word === 'intents' || word === 'conversations') return undefined;
  return lookupField(word === 'tag' ? 'tags' : word);
}

/** How a field is written in canonical text. */
export function fieldToText(name: string): string {
  return name === 'tags' ? 'tag' : name;
}

/** A standard field that differs from `word` only in letter case, to suggest it. */
export function similarField(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (lower === 'segment') return 'in segment "Name"';
  return STANDARD_FIELDS.map((x) => fieldToText(x.name)).find((n) => n.toLowerCase() === lower);
}
