/**
 * The conversation-aware conditions in words (issue 13), parsed to and formatted from ordinary
 * catalogue conditions, so the AST, validation and both compiled targets stay one thing:
 *
 *   conversations in last 7 days >= 3            → conversations >= {count: 3, last: 7 days}
 *   asked about "refund" at least 2 times in last 14 days
 *                                                → intents >= {intent, count: 2, last: 14 days}
 *   handoff open                                 → handoffStatus exists
 *   waited for an agent more than 10 minutes     → handoffWaitingSince more than 10 minutes ago
 *   opted out                                    → optedOut is true
 *   last message within last 2 hours             → lastMessageAt within last 2 hours
 */
import type { Condition, Operator, RelativeTime } from './ast';
import { VALUE_EXPECTED } from './checks';
import { isWord, type Lexer, type Token } from './lexer';
import { checkValue } from './values';

const UNITS: ReadonlyMap<string, RelativeTime['unit']> = new Map([
  ['day', 'days'],
  ['days', 'days'],
  ['hour', 'hours'],
  ['hours', 'hours'],
  ['minute', 'minutes'],
  ['minutes', 'minutes'],
] as const);
const COMPARISONS: readonly Operator[] = ['>=', '>', '<', '<=', '='];
/** `asked about` comparisons in words, longest first where one starts another. */
const WORDS: readonly { words: string[]; op: Operator }[] = [
  { words: ['at', 'least'], op: '>=' },
  { words: ['at', 'most'], op: '<=' },
  { words: ['more', 'than'], op: '>' },
  { words: ['fewer', 'than'], op: '<' },
  { words: ['exactly'], op: '=' },
];

function word(lx: Lexer, w: string, context: string): Token {
  const t = lx.peek();
  if (!isWord(t, w)) throw lx.fail(t, `"${w}"`, context);
  return lx.next();
}

function number(lx: Lexer, context: string): Token {
  const t = lx.peek();
  if (t.kind !== 'number') throw lx.fail(t, 'a whole number', context);
  return lx.next();
}

/** `<N> <unit>`: the amount token (for error positions) and the relative time. */
function span(lx: Lexer, context: string): { at: Token; last: RelativeTime } {
  const at = number(lx, context);
  const u = lx.peek();
  const unit = u.kind === 'word' ? UNITS.get(u.text.toLowerCase()) : undefined;
  if (unit === undefined) throw lx.fail(u, ['"days"', '"hours"', '"minutes"']);
  lx.next();
  return { at, last: { amount: at.value as number, unit } };
}

/** Checks the value as validateRule does; a problem is reported at the token it came from. */
function checked(lx: Lexer, c: Condition, tokens: Record<string, Token>): Condition {
  const kind = c.field === 'intents' ? 'intentCount' : 'windowCount';
  const r = checkValue(kind, c.value, c.operator);
  const p = r.problems[0];
  if (p) {
    const key = p.sub.startsWith('.last') ? 'last' : p.sub.startsWith('.intent') ? 'intent' : 'count';
    throw lx.errorAt(tokens[key]?.start ?? 0, p.message, VALUE_EXPECTED[kind]);
  }
  return { ...c, value: r.value };
}

function conversations(lx: Lexer): Condition {
  word(lx, 'in', ' after "conversations"');
  word(lx, 'last', ' after "conversations in"');
  const { at, last } = span(lx, ' after "in last"');
  const opToken = lx.next();
  const op = COMPARISONS.find((o) => opToken.kind === 'punct' && opToken.text === o);
  if (!op)
    throw lx.fail(
      opToken,
      COMPARISONS.map((o) => `"${o}"`),
      ' after the window',
    );
  const count = number(lx, ` after "${op}"`);
  const c: Condition = {
    kind: 'condition',
    field: 'conversations',
    operator: op,
    value: { count: count.value as number, last },
  };
  return checked(lx, c, { last: at, count });
}

function askedAbout(lx: Lexer): Condition {
  word(lx, 'about', ' after "asked"');
  const intent = lx.peek();
  if (intent.kind !== 'string')
    throw lx.fail(intent, 'an intent in double quotes, such as "refund"', ' after "asked about"');
  lx.next();
  const first = lx.peek();
  const found = WORDS.find((w) => isWord(first, w.words[0] ?? ''));
  if (!found) throw lx.fail(first, ['"at least"', '"at most"', '"more than"', '"fewer than"', '"exactly"']);
  lx.next();
  let op = found.op;
  if (found.words[0] === 'at') {
    const second = lx.next();
    if (isWord(second, 'least')) op = '>=';
    else if (isWord(second, 'most')) op = '<=';
    else throw lx.fail(second, ['"least"', '"most"'], ' after "at"');
  } else if (found.words.length > 1) word(lx, found.words[1] ?? '', ` after "${found.words[0] ?? ''}"`);
  const count = number(lx, ' before "times"');
  const times = lx.next();
  if (!isWord(times, 'times') && !isWord(times, 'time')) throw lx.fail(times, '"times"');
  word(lx, 'in', ' after "times"');
  word(lx, 'last', ' after "in"');
  const { at, last } = span(lx, ' after "in last"');
  const value = { intent: intent.value as string, count: count.value as number, last };
  const c: Condition = { kind: 'condition', field: 'intents', operator: op, value };
  return checked(lx, c, { last: at, count, intent });
}

/**
 * A condition written as a phrase, or undefined when the next token starts none (then it is an
 * ordinary `<field> <operator> <value>`). `last message` only names the field: returned as
 * `lastMessageAt` for the caller to read its operator.
 */
export function parsePhrase(lx: Lexer): Condition | 'lastMessageAt' | undefined {
  const t = lx.peek();
  if (t.kind !== 'word') return undefined;
  const w = t.text.toLowerCase();
  if (w === 'conversations' || w === 'asked') {
    lx.next();
    return w === 'asked' ? askedAbout(lx) : conversations(lx);
  }
  if (w === 'handoff') {
    lx.next();
    word(lx, 'open', ' after "handoff"');
    return { kind: 'condition', field: 'handoffStatus', operator: 'exists' };
  }
  if (w === 'opted') {
    lx.next();
    word(lx, 'out', ' after "opted"');
    return { kind: 'condition', field: 'optedOut', operator: 'is true' };
  }
  if (w === 'waited') {
    lx.next();
    for (const [x, after] of [
      ['for', 'waited'],
      ['an', 'waited for'],
      ['agent', 'waited for an'],
      ['more', 'waited for an agent'],
      ['than', 'more'],
    ] as const)
      word(lx, x, ` after "${after}"`);
    const { at, last } = span(lx, ' after "more than"');
    const r = checkValue('relative', last);
    if (r.problems[0]) throw lx.errorAt(at.start, r.problems[0].message, VALUE_EXPECTED.relative);
    return { kind: 'condition', field: 'handoffWaitingSince', operator: 'more than ago', value: last };
  }
  if (w === 'last') {
    lx.next();
    word(lx, 'message', ' after "last"');
    return 'lastMessageAt';
  }
  return undefined;
}

const unitText = (t: RelativeTime): string => (t.amount === 1 ? t.unit.slice(0, -1) : t.unit);
const OP_WORDS: Readonly<Partial<Record<Operator, string>>> = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'more than',
  '<': 'fewer than',
  '=': 'exactly',
};

/** The phrase for a condition that has one (its positive form: NOT is written by the caller). */
export function formatPhrase(c: Condition): string | undefined {
  const v = c.value;
  if (c.field === 'conversations' && typeof v === 'object' && !Array.isArray(v) && 'count' in v)
    return `conversations in last ${v.last.amount} ${unitText(v.last)} ${c.operator} ${v.count}`;
  if (c.field === 'intents' && typeof v === 'object' && !Array.isArray(v) && 'count' in v) {
    const times = v.count === 1 ? 'time' : 'times';
    return `asked about ${JSON.stringify(v.intent ?? '')} ${OP_WORDS[c.operator] ?? c.operator} ${v.count} ${times} in last ${v.last.amount} ${unitText(v.last)}`;
  }
  if (c.field === 'handoffStatus' && c.operator === 'exists') return 'handoff open';
  if (
    c.field === 'handoffWaitingSince' &&
    c.operator === 'more than ago' &&
    typeof v === 'object' &&
    'unit' in v
  )
    return `waited for an agent more than ${v.amount} ${unitText(v)}`;
  return undefined;
}
