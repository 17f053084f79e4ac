/**
 * The grammar of one condition: `<field> <operator> <value>` or `in segment "Name"`. Operators and
 * values are checked with the same code validateRule uses; problems are reported at the token.
 */
import { OPERATORS, type Condition, type Operator } from './ast';
import { VALUE_EXPECTED, isOperatorAllowed, valueKind, type ValueKind } from './checks';
import { isWord, type Lexer, type Token } from './lexer';
import { FIELD_HINT, fieldFromText, operatorsAsText, similarField } from './syntax';
import { parsePhrase } from './phrases';
import { checkValue } from './values';

const CONDITION_START = ['a condition', '"("'];
// Operators are spelled as their AST names, except that `more than ago` wraps its amount.
const SYMBOLS: ReadonlySet<string> = new Set(OPERATORS.filter((op) => !/^[a-z]/.test(op)));
const WORD_OPERATORS = OPERATORS.filter((op) => /^[a-z]/.test(op) && op !== 'in segment').map((operator) => ({
  words: (operator === 'more than ago' ? 'more than' : operator).split(' '),
  operator,
}));
const UNITS: ReadonlyMap<string, 'days' | 'hours' | 'minutes'> = new Map([
  ['day', 'days'],
  ['days', 'days'],
  ['hour', 'hours'],
  ['hours', 'hours'],
  ['minute', 'minutes'],
  ['minutes', 'minutes'],
] as const);

/** Consumes `word` (case-insensitive) or throws, saying it was expected `context`. */
function expectWord(lx: Lexer, word: string, context: string): Token {
  const t = lx.peek();
  if (!isWord(t, word)) throw lx.fail(t, `"${word}"`, context);
  return lx.next();
}

/**
 * Reads the operator after a field, word by word (the longest spelling wins), or returns
 * undefined when the first token starts none. `negate` is set for `tag != "x"` (NOT has).
 */
function readOperator(lx: Lexer, tags: boolean): { operator: Operator | undefined; negate: boolean } {
  const t = lx.next();
  const sym = t.kind === 'punct' && SYMBOLS.has(t.text) ? (t.text as Operator) : undefined;
  if (tags && (sym === '=' || sym === '!=')) return { operator: 'has', negate: sym === '!=' };
  if (sym !== undefined || t.kind !== 'word') return { operator: sym, negate: false };
  let candidates = WORD_OPERATORS.filter(({ words }) => isWord(t, words[0] ?? ''));
  for (let i = 1; candidates.length > 0; i++) {
    const n = lx.peek();
    const longer = candidates.filter(({ words }) => isWord(n, words[i] ?? ''));
    const complete = candidates.find(({ words }) => words.length === i);
    if (longer.length === 0 && complete) return { operator: complete.operator, negate: false };
    if (longer.length === 0) {
      const next = [...new Set(candidates.map(({ words }) => `"${words[i] ?? ''}"`))];
      throw lx.fail(n, next, ` after "${candidates[0]?.words.slice(0, i).join(' ') ?? ''}"`);
    }
    lx.next();
    candidates = longer;
  }
  return { operator: undefined, negate: false };
}

/** Reads one literal; date tokens only where a date is expected. */
function literal(
  lx: Lexer,
  kind: ValueKind,
  context: string,
  slots: Map<string, Token>,
  sub: string,
): unknown {
  const t = lx.peek();
  const ok =
    t.kind === 'string' ||
    t.kind === 'number' ||
    (t.kind === 'date' && (kind === 'instant' || kind === 'day'));
  if (!ok) throw lx.fail(t, VALUE_EXPECTED[kind], context);
  slots.set(sub, lx.next());
  return t.value;
}

/** Reads the value an operator takes, remembering which token each part came from. */
function readValue(lx: Lexer, kind: ValueKind, operator: Operator, slots: Map<string, Token>): unknown {
  const context = ` after "${operator === 'more than ago' ? 'more than' : operator}"`;
  if (kind === 'none') return undefined;
  slots.set('', lx.peek());
  if (kind === 'pair') {
    const low = literal(lx, 'number', context, slots, '[0]');
    expectWord(lx, 'and', ' between the low and high values');
    return [low, literal(lx, 'number', ' after "and"', slots, '[1]')];
  }
  if (kind === 'relative') {
    const amount = literal(lx, 'relative', context, slots, '.amount');
    const u = lx.peek();
    const unit = u.kind === 'word' ? UNITS.get(u.text.toLowerCase()) : undefined;
    if (unit === undefined) throw lx.fail(u, ['"days"', '"hours"', '"minutes"']);
    slots.set('.unit', lx.next());
    if (operator === 'more than ago') expectWord(lx, 'ago', ` after "more than ${String(amount)} ${u.text}"`);
    return { amount, unit };
  }
  if (kind !== 'stringList' && kind !== 'numberList' && kind !== 'list')
    return literal(lx, kind, context, slots, '');
  const open = lx.next();
  if (open.kind !== 'punct' || open.text !== '(')
    throw lx.fail(open, `"(" and ${VALUE_EXPECTED[kind]}`, context);
  const item: ValueKind = kind === 'numberList' ? 'number' : kind === 'list' ? 'scalar' : 'string';
  const items: unknown[] = [];
  for (;;) {
    items.push(literal(lx, item, '', slots, `[${items.length}]`));
    const sep = lx.next();
    if (sep.kind === 'punct' && sep.text === ')') return items;
    if (sep.kind !== 'punct' || sep.text !== ',') throw lx.fail(sep, ['","', '")"'], ' in the list');
  }
}

/** Reads a condition up to its value: the field (or `in segment`) and the operator. */
function readHead(
  lx: Lexer,
  negated: boolean,
  named?: 'lastMessageAt',
): { c: Condition; kind: ValueKind; negate: boolean } {
  const t = named ? { kind: 'word' as const, text: 'last message', value: '', start: 0 } : lx.next();
  if (t.kind !== 'word' || isWord(t, 'and') || isWord(t, 'or')) throw lx.fail(t, CONDITION_START);
  if (isWord(t, 'in')) {
    expectWord(lx, 'segment', ' after "in"');
    return {
      c: { kind: 'condition', field: 'segment', operator: 'in segment' },
      kind: 'name',
      negate: false,
    };
  }
  const info = named ? fieldFromText(named) : fieldFromText(t.text);
  if (!info) {
    const like = similarField(t.text);
    throw lx.fail(t, FIELD_HINT, like ? ` (did you mean ${like}?)` : '');
  }
  const opToken = lx.peek();
  const { operator, negate } = readOperator(lx, info.type === 'tags');
  if (operator === undefined || !isOperatorAllowed(info.type, operator)) {
    throw lx.fail(opToken, operatorsAsText(info.type), ` after "${t.text}" (a ${info.type} field)`);
  }
  if (negate && negated) throw lx.fail(opToken, '"=" (NOT with "!=" would be a double negation)');
  return {
    c: { kind: 'condition', field: info.name, operator },
    kind: valueKind(info.type, operator),
    negate,
  };
}

/**
 * Parses one condition; `negated` is true after NOT (which then may not meet `tag !=`). The value
 * goes through the checks validateRule uses, and a problem is reported at the token it came from.
 */
export function parseCondition(lx: Lexer, negated: boolean): Condition {
  const phrase = parsePhrase(lx);
  if (phrase !== undefined && phrase !== 'lastMessageAt') return phrase;
  const { c, kind, negate } = readHead(lx, negated, phrase);
  const slots = new Map<string, Token>();
  const checked = checkValue(kind, readValue(lx, kind, c.operator, slots), c.operator);
  const problem = checked.problems[0];
  if (problem) {
    const at = slots.get(problem.sub) ?? slots.get('');
    throw lx.errorAt(at?.start ?? 0, problem.message, VALUE_EXPECTED[kind]);
  }
  if (checked.value !== undefined) c.value = checked.value;
  if (negate) c.not = true;
  return c;
}
