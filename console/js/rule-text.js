// The rule builder's pure half (no DOM): the builder edits the rule AST the API takes (DESIGN
// §3.2) and prints it as the canonical rule text, exactly as the server's formatRule does
// (src/rules/format.ts, phrases.ts), so what the builder shows is what the API stores. Text typed
// by hand is parsed by the server (a preview answers with its AST), so the grammar has one home.
// test/unit/console/rule-text.test.ts holds this file to the server's catalogue and formatter.

// ---- printing: a port of src/rules/format.ts ---------------------------------------------------

const hex4 = (c) => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** A string literal the rule lexer reads back exactly, lone surrogates included. */
export function quote(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += hex4(c);
    else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s.slice(i, i + 2);
      i++;
    } else if ((c & 0xf800) === 0xd800) out += hex4(c);
    else out += s.charAt(i);
  }
  return `${out}"`;
}

const literal = (v) => (typeof v === 'number' ? String(v) : quote(String(v)));
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{3})?Z$/;

/** A real calendar day `YYYY-MM-DD` (UTC). */
export function isIsoDay(s) {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return days !== undefined && d >= 1 && d <= days;
}

/** An instant `YYYY-MM-DDTHH:mm:ss(.sss)Z` with a real day and time. */
export function isIsoInstant(s) {
  const m = INSTANT.exec(s);
  return !!m && isIsoDay(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}

const date = (v) => (typeof v === 'string' && (isIsoDay(v) || isIsoInstant(v)) ? v : literal(v));
const unitText = (t) => (t.amount === 1 ? t.unit.slice(0, -1) : t.unit);
const PHRASE_WORDS = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'more than',
  '<': 'fewer than',
  '=': 'exactly',
};
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The conversation phrases (src/rules/phrases.ts formatPhrase). */
function phrase(c) {
  const v = c.value;
  if (c.field === 'conversations' && isObject(v) && 'count' in v)
    return `conversations in last ${v.last.amount} ${unitText(v.last)} ${c.operator} ${v.count}`;
  if (c.field === 'intents' && isObject(v) && 'count' in v) {
    const times = v.count === 1 ? 'time' : 'times';
    const op = PHRASE_WORDS[c.operator] ?? c.operator;
    return `asked about ${JSON.stringify(v.intent ?? '')} ${op} ${v.count} ${times} in last ${v.last.amount} ${unitText(v.last)}`;
  }
  if (c.field === 'handoffStatus' && c.operator === 'exists') return 'handoff open';
  if (c.field === 'handoffWaitingSince' && c.operator === 'more than ago' && isObject(v) && 'unit' in v)
    return `waited for an agent more than ${v.amount} ${unitText(v)}`;
  return undefined;
}

function condition(c) {
  const p = phrase(c);
  if (p !== undefined) return p;
  const { operator: op, value: v } = c;
  if (op === 'in segment') return `in segment ${literal(v)}`;
  const field = c.field === 'tags' ? 'tag' : c.field;
  if (op === 'has') return `${field} = ${literal(v)}`;
  if (op === 'between' && Array.isArray(v)) return `${field} between ${literal(v[0])} and ${literal(v[1])}`;
  if (Array.isArray(v)) return `${field} ${op} (${v.map(literal).join(', ')})`;
  if (op === 'before' || op === 'after' || op === 'on') return `${field} ${op} ${date(v)}`;
  if (isObject(v) && 'unit' in v)
    return op === 'within last'
      ? `${field} within last ${v.amount} ${unitText(v)}`
      : `${field} more than ${v.amount} ${unitText(v)} ago`;
  const opText = op === 'more than ago' ? 'more than … ago' : op;
  return v === undefined ? `${field} ${opText}` : `${field} ${opText} ${literal(v)}`;
}

const chain = (g) => g.children.map(operand).join(g.op === 'and' ? ' AND ' : ' OR ');

function operand(r) {
  const prefix = r.not ? 'NOT ' : '';
  if (r.kind === 'condition') return prefix + condition(r);
  return `${prefix}(${r.children.length === 1 ? operand(r.children[0]) : chain(r)})`;
}

/** The canonical text of a rule AST (what the API's formatRule prints). */
export function printRule(rule) {
  return rule.kind === 'group' && !rule.not && rule.children.length >= 2 ? chain(rule) : operand(rule);
}

// ---- the catalogue as the builder shows it ------------------------------------------------------

/** The value shape an operator takes on a field type (src/rules/checks.ts valueKind). */
export function valueKind(type, op) {
  if (type === 'activity') return 'windowCount';
  if (type === 'intent') return 'intentCount';
  switch (op) {
    case 'exists':
    case 'not exists':
    case 'is true':
    case 'is false':
      return 'none';
    case '=':
    case '!=':
      return type === 'number' ? 'number' : type === 'custom' ? 'scalar' : 'string';
    case '>':
    case '>=':
    case '<':
    case '<=':
      return 'number';
    case 'between':
      return 'pair';
    case 'in':
    case 'not in':
      return type === 'number' ? 'numberList' : type === 'custom' ? 'list' : 'stringList';
    case 'before':
    case 'after':
      return 'instant';
    case 'on':
      return 'day';
    case 'within last':
    case 'more than ago':
      return 'relative';
    case 'in segment':
      return 'name';
    case 'has any of':
    case 'has all of':
    case 'has none of':
      return 'stringList';
    default:
      return 'string';
  }
}

/** Groups of the field menu, in order. */
export const FIELD_GROUPS = ['Contact', 'Traits', 'Conversations', 'Tags', 'Custom fields', 'Membership'];

/** Human labels of the standard fields; a field the server adds later shows its own name. */
export const FIELD_LABELS = {
  name: ['Name', 'Contact'],
  email: ['Email', 'Contact'],
  emailDomain: ['Email domain', 'Contact'],
  phone: ['Phone', 'Contact'],
  externalId: ['External id', 'Contact'],
  createdAt: ['Created', 'Contact'],
  updatedAt: ['Last updated', 'Contact'],
  optedOut: ['Opted out', 'Contact'],
  lifetimeValue: ['Lifetime value', 'Traits'],
  purchaseCount: ['Purchases', 'Traits'],
  lastPurchaseAt: ['Last purchase', 'Traits'],
  leadScore: ['Lead score', 'Traits'],
  openDeals: ['Open deals', 'Traits'],
  supportTickets: ['Open support tickets', 'Traits'],
  totalTickets: ['Support tickets, all time', 'Traits'],
  conversationCount: ['Conversations, all time', 'Conversations'],
  lastConversationAt: ['Last conversation', 'Conversations'],
  lastMessageAt: ['Last message', 'Conversations'],
  conversations: ['Conversations in a recent window', 'Conversations'],
  intents: ['Asked about', 'Conversations'],
  handoffStatus: ['Handoff status', 'Conversations'],
  handoffWaitingSince: ['Waiting for an agent since', 'Conversations'],
  tags: ['Tag', 'Tags'],
  segment: ['In segment', 'Membership'],
};

/** The operator in words, by field type (the windowed counts read as "at least 3"). */
export function operatorLabel(type, op) {
  if (type === 'activity' || type === 'intent') return PHRASE_WORDS[op] ?? op;
  return OPERATOR_LABELS[op] ?? op;
}

const OPERATOR_LABELS = {
  '=': 'is',
  '!=': 'is not',
  '>': 'is more than',
  '>=': 'is at least',
  '<': 'is less than',
  '<=': 'is at most',
  between: 'is between',
  contains: 'contains',
  'not contains': 'does not contain',
  'starts with': 'starts with',
  'ends with': 'ends with',
  in: 'is one of',
  'not in': 'is none of',
  exists: 'is set',
  'not exists': 'is not set',
  before: 'is before',
  after: 'is after',
  on: 'is on',
  'within last': 'is within the last',
  'more than ago': 'is more than … ago',
  has: 'is',
  'has any of': 'is any of',
  'has all of': 'includes all of',
  'has none of': 'is none of',
  'is true': 'is true',
  'is false': 'is false',
  'in segment': 'is',
};

/**
 * The operators a custom field offers, by the type its values have in the workspace (the
 * catalogue allows every one on `custom.*`; showing only those that fit keeps the menu short).
 */
export function customOperators(observed, all) {
  const fit = {
    string: ['=', '!=', 'contains', 'not contains', 'starts with', 'ends with', 'in', 'not in'],
    number: ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not in'],
    date: ['before', 'after', 'on', 'within last', 'more than ago'],
    boolean: ['is true', 'is false'],
  }[observed];
  return fit ? [...fit, 'exists', 'not exists'].filter((op) => all.includes(op)) : all;
}

/** A new condition on a field of `type`, with its first operator and no value yet (or a default). */
export function newCondition(field, type, operators) {
  return withOperator({ kind: 'condition', field }, operators[0], type);
}

/**
 * The condition with another operator: the value is kept when it still fits the new operator's
 * shape, else it starts empty (or with the obvious default: 7 days, a count of 1).
 */
export function withOperator(c, operator, type) {
  const before = valueKind(type, c.operator);
  const after = valueKind(type, operator);
  const next = { ...c, operator };
  if (before === after && c.operator !== undefined) return next;
  delete next.value;
  if (after === 'relative') next.value = { amount: 7, unit: 'days' };
  if (after === 'windowCount') next.value = { count: 1, last: { amount: 7, unit: 'days' } };
  if (after === 'intentCount')
    next.value = { intent: undefined, count: 1, last: { amount: 7, unit: 'days' } };
  return next;
}

// ---- the builder's tree -------------------------------------------------------------------------

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/**
 * The rule as the builder holds it: always a group at the top, so conditions can be added. A
 * bare condition becomes the only child of an AND group; a one-child group typed as `(x)` is
 * marked, so that it prints back as `(x)` and the text round-trips exactly.
 */
export function toBuilder(rule) {
  if (!rule) return { kind: 'group', op: 'and', children: [] };
  if (rule.kind === 'condition') return { kind: 'group', op: 'and', children: [clone(rule)] };
  const root = clone(rule);
  if (!root.not && root.children.length === 1) root.single = true;
  return root;
}

/** Removes groups left empty by edits, bottom-up. */
function prune(r) {
  if (r.kind === 'condition') return r;
  const children = r.children.map(prune).filter((c) => c !== null);
  if (children.length === 0) return null;
  const g = { kind: 'group', op: r.op, children };
  if (r.not) g.not = true;
  return g;
}

/** The AST the builder's tree stands for, or null when it holds no condition yet. */
export function fromBuilder(root) {
  const rule = prune(root);
  if (!rule) return null;
  if (!rule.not && rule.children.length === 1 && !root.single) return rule.children[0];
  return rule;
}

/** Every condition of a tree, depth first. */
export function conditionsOf(r) {
  return r.kind === 'condition' ? [r] : r.children.flatMap(conditionsOf);
}

const num = (v) => typeof v === 'number' && Number.isFinite(v);
const whole = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
const relativeOk = (t) =>
  isObject(t) && whole(t.amount, 1, 100000) && ['days', 'hours', 'minutes'].includes(t.unit);

/**
 * What is still missing in a condition for it to be sent, in words, or null when it is complete.
 * The server checks the rest (limits, windows) and its message is shown with the preview.
 */
export function missingValue(c, type) {
  const v = c.value;
  switch (valueKind(type, c.operator)) {
    case 'none':
      return null;
    case 'string':
      return typeof v === 'string' ? null : 'a text';
    case 'name':
      return typeof v === 'string' && v !== '' ? null : 'a segment or list';
    case 'number':
      return num(v) ? null : 'a number';
    case 'scalar':
      return typeof v === 'string' || num(v) ? null : 'a value';
    case 'pair':
      return Array.isArray(v) && num(v[0]) && num(v[1]) && v[0] <= v[1] ? null : 'two numbers, low and high';
    case 'stringList':
    case 'numberList':
    case 'list':
      return Array.isArray(v) && v.length > 0 ? null : 'at least one value';
    case 'instant':
      return typeof v === 'string' && (isIsoDay(v) || isIsoInstant(v)) ? null : 'a date such as 2026-12-07';
    case 'day':
      return typeof v === 'string' && isIsoDay(v) ? null : 'a date such as 2026-12-07';
    case 'relative':
      return relativeOk(v) ? null : 'a whole number of days, hours or minutes';
    case 'windowCount':
      return isObject(v) && whole(v.count, 0, 20) && relativeOk(v.last) ? null : 'a count and a window';
    case 'intentCount':
      return isObject(v) && typeof v.intent === 'string' && whole(v.count, 0, 20) && relativeOk(v.last)
        ? null
        : 'an intent, a count and a window';
    default:
      return 'a value';
  }
}

/**
 * Items of a list typed one per line (blank lines dropped). `numbers`: each must read as a
 * number, else the result is null (incomplete).
 */
export function parseList(text, numbers) {
  const items = text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!numbers) return items;
  const values = items.map(Number);
  return values.every(Number.isFinite) && items.every((s) => s !== '') ? values : null;
}
