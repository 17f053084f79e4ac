/**
 * Request schemas of the segment routes. They validate each request before the service sees it
 * (the service keeps its own checks: the bot's admin commands call it too) and they are what the
 * OpenAPI document shows. Messages and `details.field` are the API's stable answers.
 */
import { z } from 'zod';
import { codePoints, wholeNumberParam } from '../domain/wire';
import { ValidationError } from '../errors';

/**
 * The name as sent: blanks around it are dropped (the service checks the rest), and at least one
 * character that is neither a blank nor a control character or double quote.
 */
const NAME = /^[ \t\n\r]*[^\u0000-\u001f" ](?:[^\u0000-\u001f"]*[^\u0000-\u001f" ])?[ \t\n\r]*$/u;
const nameError = 'A segment name is 1–100 characters without double quotes or control characters';
const ruleError = 'rule is the rule as text or as a rule object (AST)';
const limitError = 'limit is a whole number from 1 to 500';

const name = z
  .string({ error: nameError })
  .refine((n) => codePoints(n) <= 100, nameError)
  .regex(NAME, nameError)
  .meta({ maxLength: 100 });
// Text is parsed (RULE_SYNTAX with line/column), an object validated (RULE_INVALID with paths).
const rule = z.union([z.string(), z.record(z.string(), z.unknown())], { error: ruleError }).meta({
  description: 'Rule text (see docs/rules.md) or its AST',
  examples: [
    'lifetimeValue > 5000 OR tag = "VIP"',
    'leadScore > 80 AND openDeals > 0',
    'tag has any of ("VIP", "Beta")',
  ],
});
const priority = z
  .number({ error: 'priority is a whole number from -1000 to 1000' })
  .int('priority is a whole number from -1000 to 1000')
  .min(-1000, 'priority is a whole number from -1000 to 1000')
  .max(1000, 'priority is a whole number from -1000 to 1000');
const routing = z.boolean({ error: 'routing is true or false' });
const description = z
  .string({ error: 'description is text of at most 1000 characters' })
  .max(1000, 'description is text of at most 1000 characters');
const objectError = { error: 'The body must be a JSON object' };

export const segmentCreateSchema = z
  .object(
    {
      name,
      type: z
        .enum(['dynamic', 'static'], { error: 'type is "dynamic" (with a rule) or "static" (a list)' })
        .optional(),
      rule: rule.optional(),
      priority: priority.optional(),
      routing: routing.optional(),
      description: description.optional(),
    },
    objectError,
  )
  .meta({
    // A dynamic segment has a rule, a static list none; without a type, the rule decides it.
    allOf: [
      {
        if: { properties: { type: { const: 'static' } }, required: ['type'] },
        then: { not: { required: ['rule'] } },
      },
      {
        if: { properties: { type: { const: 'dynamic' } }, required: ['type'] },
        then: { required: ['rule'] },
      },
    ],
  });

export const segmentPatchSchema = z.object(
  {
    name: name.optional(),
    rule: rule.optional(),
    priority: priority.optional(),
    routing: routing.optional(),
    description: description.optional(),
  },
  objectError,
);

export const previewSchema = z.object(
  { rule, segmentId: z.string({ error: 'segmentId must be a string' }).max(100).optional() },
  objectError,
);

export const addMembersSchema = z.object(
  {
    contactIds: z
      .array(z.string(), { error: 'contactIds is an array of 1 to 1000 contact ids' })
      .min(1, 'contactIds is an array of 1 to 1000 contact ids')
      .max(1000, 'contactIds is an array of 1 to 1000 contact ids'),
  },
  objectError,
);

const limit = wholeNumberParam(1, 500, limitError);

export const membersQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: limit.optional(),
});

export const transitionsQuerySchema = z.object({
  cursor: z
    .string({ error: 'cursor is the nextCursor of the previous page' })
    .regex(/^\d{1,15}$/, 'cursor is the nextCursor of the previous page')
    .optional(),
  limit: limit.optional(),
  segmentId: z.string().max(100).optional(),
  contactId: z.string().max(100).optional(),
});

/** Parses a request part or throws the API's ValidationError naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw new ValidationError(issue?.message ?? 'invalid input', field ? { field } : {});
}
