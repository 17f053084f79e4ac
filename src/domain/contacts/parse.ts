/**
 * Turns zod results into our ValidationError: one message naming the first problem, and
 * `details` with the exact field path (dotted, e.g. `custom.plan`, `tags.3`) of every issue.
 */
import type { z } from 'zod';
import { ValidationError } from '../../errors';

/** One problem with an input, addressed by a dotted path relative to the request body. */
export interface FieldIssue {
  path: string;
  problem: string;
}

function issuePath(prefix: string, issue: z.core.$ZodIssue): string {
  const parts = issue.path.map((p) => String(p));
  // An unknown key is reported on its parent by zod; the key itself is the more useful address.
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) parts.push(issue.keys[0]);
  return [prefix, ...parts].filter((p) => p !== '').join('.');
}

/** Builds the ValidationError for a list of issues (at least one). */
export function validationError(issues: FieldIssue[], code?: string): ValidationError {
  const first = issues[0] ?? { path: '', problem: 'invalid input' };
  return new ValidationError(
    `${first.path || 'body'}: ${first.problem}`,
    { path: first.path, problem: first.problem, issues },
    code,
  );
}

/** Parses `input` or throws ValidationError; `prefix` is prepended to every path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error.issues.map((i) => ({ path: issuePath(prefix, i), problem: i.message })));
}
