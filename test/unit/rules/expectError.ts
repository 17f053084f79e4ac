/** Assertions on the errors of parseRule and validateRule, shared by the rules tests. */
import { RuleSyntaxError, RuleValidationError, type RuleProblem } from '../../../src/rules/errors';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';

/** Parses `text`, which must fail with a RuleSyntaxError, and returns it. */
export function syntaxError(text: string): RuleSyntaxError {
  try {
    parseRule(text);
  } catch (e) {
    if (e instanceof RuleSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

/**
 * Asserts that `text` fails at `where` ("line:column") with `message` (the part after the position:
 * exactly, or matching a pattern), and that the error is shaped as the API expects.
 */
export function expectSyntaxError(text: string, where: string, message: string | RegExp): RuleSyntaxError {
  const e = syntaxError(text);
  const [line, column] = where.split(':').map(Number);
  expect(`${e.line}:${e.column}`).toBe(where);
  expect(e.code).toBe('RULE_SYNTAX');
  expect(e.status).toBe(400);
  expect(e.details).toEqual({ line, column, expected: e.expected });
  const prefix = `line ${e.line}, column ${e.column}: `;
  expect(e.message.slice(0, prefix.length)).toBe(prefix);
  const rest = e.message.slice(prefix.length);
  if (typeof message === 'string') expect(rest).toBe(message);
  else expect(rest).toMatch(message);
  return e;
}

/** validateRule(input), which must fail with a RuleValidationError; returns its problems. */
export function problems(input: unknown): RuleProblem[] {
  try {
    validateRule(input);
  } catch (e) {
    if (e instanceof RuleValidationError) return e.problems;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}
