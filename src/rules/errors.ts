/**
 * The two ways a rule can be wrong. Both are ValidationErrors (HTTP 400) with their own stable
 * codes, so API clients can tell a typo in the text form from a malformed AST.
 */
import { ValidationError } from '../errors';

/** Joins alternatives the way a person would say them: `a, b or c`. */
export function describeExpected(expected: string | readonly string[]): string {
  if (typeof expected === 'string') return expected;
  if (expected.length <= 1) return expected[0] ?? 'nothing';
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1] ?? ''}`;
}

/**
 * The rule text could not be read. `line` and `column` are 1-based (columns count characters, not
 * UTF-16 units) and point at the first character of the offending token.
 */
export class RuleSyntaxError extends ValidationError {
  readonly line: number;
  readonly column: number;
  readonly expected: string | string[];

  /** `description` is the part after the position, e.g. `expected a number after ">", found "abc"`. */
  constructor(description: string, line: number, column: number, expected: string | string[]) {
    super(`line ${line}, column ${column}: ${description}`, { line, column, expected }, 'RULE_SYNTAX');
    this.line = line;
    this.column = column;
    this.expected = expected;
  }
}

/** One thing wrong with a rule AST; `path` is where, e.g. `children[2].value` ('' for the root). */
export interface RuleProblem {
  path: string;
  message: string;
}

/** How many problems the summary message spells out; the rest are counted. */
const SUMMARY_PROBLEMS = 5;

/** A rule AST (usually from an API body) that is not a valid rule; `problems` lists every fault. */
export class RuleValidationError extends ValidationError {
  readonly problems: RuleProblem[];

  constructor(problems: RuleProblem[]) {
    const shown = problems.slice(0, SUMMARY_PROBLEMS).map((p) => `${p.path || 'rule'}: ${p.message}`);
    const more = problems.length - shown.length;
    const summary = shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid rule (${count}): ${summary}`, { problems }, 'RULE_INVALID');
    this.problems = problems;
  }
}
