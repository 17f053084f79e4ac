/**
 * formatRule: an AST to its canonical text. parseRule(formatRule(r)) deep-equals r for every valid
 * (canonical) rule, so the text form can stand in for the AST anywhere a person reads or edits it.
 */
import type { Condition, Rule, Value } from './ast';
import { isIsoDay, isIsoInstant } from './checks';
import { formatPhrase } from './phrases';
import { OPERATOR_TEXT, fieldToText } from './syntax';

const hex4 = (c: number): string => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** A string literal the lexer reads back exactly, lone surrogates included. */
export function quote(s: string): string {
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
    } else if ((c & 0xf800) === 0xd800)
      out += hex4(c); // a lone surrogate
    else out += s.charAt(i);
  }
  return `${out}"`;
}

function literal(v: unknown): string {
  return typeof v === 'number' ? String(v) : quote(String(v));
}

function date(v: Value | undefined): string {
  return typeof v === 'string' && (isIsoDay(v) || isIsoInstant(v)) ? v : literal(v);
}

function condition(c: Condition): string {
  const phrase = formatPhrase(c);
  if (phrase !== undefined) return phrase;
  const { operator: op, value: v } = c;
  if (op === 'in segment') return `in segment ${literal(v)}`;
  const field = fieldToText(c.field);
  if (op === 'has') return `${field} = ${literal(v)}`;
  if (op === 'between' && Array.isArray(v)) return `${field} between ${literal(v[0])} and ${literal(v[1])}`;
  if (Array.isArray(v)) return `${field} ${op} (${v.map(literal).join(', ')})`;
  if (op === 'before' || op === 'after' || op === 'on') return `${field} ${op} ${date(v)}`;
  if (typeof v === 'object' && 'unit' in v) {
    const unit = v.amount === 1 ? v.unit.slice(0, -1) : v.unit;
    return op === 'within last'
      ? `${field} within last ${v.amount} ${unit}`
      : `${field} more than ${v.amount} ${unit} ago`;
  }
  return v === undefined ? `${field} ${OPERATOR_TEXT[op]}` : `${field} ${OPERATOR_TEXT[op]} ${literal(v)}`;
}

function chain(g: Extract<Rule, { kind: 'group' }>): string {
  return g.children.map(operand).join(g.op === 'and' ? ' AND ' : ' OR ');
}

/** A rule as an operand of AND/OR: groups always in parentheses. */
function operand(r: Rule): string {
  const prefix = r.not ? 'NOT ' : '';
  if (r.kind === 'condition') return prefix + condition(r);
  const only = r.children.length === 1 ? r.children[0] : undefined;
  return `${prefix}(${only ? operand(only) : chain(r)})`;
}

/**
 * The canonical text of a rule: keywords AND/OR/NOT upper case, operator words lower case, child
 * groups parenthesised, the top-level group bare unless it is negated or has one child.
 */
export function formatRule(rule: Rule): string {
  return rule.kind === 'group' && !rule.not && rule.children.length >= 2 ? chain(rule) : operand(rule);
}
