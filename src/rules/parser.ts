/**
 * parseRule: the rule text form (DESIGN §3.3) to a validated AST.
 *
 *   rule    := or EOF
 *   or      := and ("OR" and)*
 *   and     := unary ("AND" unary)*
 *   unary   := "NOT" primary | primary
 *   primary := "(" or ")" | condition
 *
 * Chains of one operator flatten into one group; parentheses around a chain yield that chain,
 * around a single operand a one-child AND group, which is how one-child groups round-trip.
 */
import { RULE_LIMITS, type Group, type Rule } from './ast';
import { costProblem } from './cost';
import { parseCondition } from './condition';
import { RuleSyntaxError } from './errors';
import { Lexer, isWord } from './lexer';

/** A parsed operand, and whether it is a group built from an AND/OR chain at this level. */
interface Operand {
  rule: Rule;
  chain: boolean;
}

class Parser {
  private readonly lx: Lexer;
  private conditions = 0;
  /** Where each group starts, to point depth errors at it. */
  private readonly starts = new WeakMap<Group, number>();

  constructor(text: string) {
    this.lx = new Lexer(text);
  }

  parse(): Rule {
    const { rule } = this.chain(0, 'or');
    const end = this.lx.peek();
    if (end.kind !== 'eof') throw this.lx.fail(end, ['AND', 'OR', 'end of rule']);
    this.checkDepth(rule, 1);
    return rule;
  }

  private chain(nesting: number, op: 'and' | 'or'): Operand {
    const start = this.lx.peek().start;
    const operand = (): Rule => (op === 'or' ? this.chain(nesting, 'and').rule : this.unary(nesting));
    const first = op === 'or' ? this.chain(nesting, 'and') : { rule: this.unary(nesting), chain: false };
    if (!isWord(this.lx.peek(), op)) return first;
    const children = [first.rule];
    while (isWord(this.lx.peek(), op)) {
      this.lx.next();
      if (children.length >= RULE_LIMITS.maxChildren) {
        const max = RULE_LIMITS.maxChildren;
        throw this.lx.errorAt(
          this.lx.peek().start,
          `too many children in one group: at most ${max}`,
          `at most ${max} children`,
        );
      }
      children.push(operand());
    }
    const group: Group = { kind: 'group', op, children };
    this.starts.set(group, start);
    return { rule: group, chain: true };
  }

  private unary(nesting: number): Rule {
    if (!isWord(this.lx.peek(), 'not')) return this.primary(nesting, false);
    this.lx.next();
    const next = this.lx.peek();
    // NOT NOT x is refused so that every negation has exactly one spelling in the AST.
    if (isWord(next, 'not')) throw this.lx.fail(next, ['a condition', '"("'], ' after NOT');
    const rule = this.primary(nesting, true);
    rule.not = true;
    return rule;
  }

  private primary(nesting: number, negated: boolean): Rule {
    const open = this.lx.peek();
    if (open.kind !== 'punct' || open.text !== '(') {
      if (++this.conditions > RULE_LIMITS.maxConditions) {
        const max = RULE_LIMITS.maxConditions;
        throw this.lx.errorAt(open.start, `too many conditions: at most ${max}`, `at most ${max} conditions`);
      }
      return parseCondition(this.lx, negated);
    }
    // Each "(" adds a level below it, so this bounds the recursion before it can overflow.
    if (nesting + 1 >= RULE_LIMITS.maxDepth) throw this.tooDeep(open.start);
    this.lx.next();
    const inner = this.chain(nesting + 1, 'or');
    const close = this.lx.peek();
    if (close.kind !== 'punct' || close.text !== ')') throw this.lx.fail(close, ['AND', 'OR', '")"']);
    this.lx.next();
    const group: Group = inner.chain
      ? (inner.rule as Group)
      : { kind: 'group', op: 'and', children: [inner.rule] };
    this.starts.set(group, open.start);
    return group;
  }

  /** Levels count the root as 1 and include the conditions (as validateRule does). */
  private checkDepth(rule: Rule, level: number): void {
    if (rule.kind !== 'group') return;
    if (level + 1 > RULE_LIMITS.maxDepth) throw this.tooDeep(this.starts.get(rule) ?? 0);
    for (const child of rule.children) this.checkDepth(child, level + 1);
  }

  private tooDeep(offset: number): RuleSyntaxError {
    const max = RULE_LIMITS.maxDepth;
    return this.lx.errorAt(
      offset,
      `nested too deeply: at most ${max} levels`,
      `at most ${max} levels of nesting`,
    );
  }
}

/**
 * Parses rule text into a validated AST. Throws RuleSyntaxError, with the line, column and what
 * was expected, for any text that is not a valid rule; never anything else.
 */
export function parseRule(text: string): Rule {
  const max = RULE_LIMITS.maxTextLength;
  if (typeof text !== 'string') throw new RuleSyntaxError('expected the rule as text', 1, 1, 'rule text');
  if (text.length > max) {
    throw new RuleSyntaxError(
      `rule too long: at most ${max} characters, found ${text.length}`,
      1,
      1,
      `at most ${max} characters`,
    );
  }
  const rule = new Parser(text).parse();
  const costly = costProblem(rule);
  if (costly) throw new RuleSyntaxError(`rule ${costly}`, 1, 1, 'shorter contains / ends with texts');
  return rule;
}
