/**
 * What the API answers, as zod schemas: only for the OpenAPI document (and so for the fuzz test,
 * which checks every answer against the document). Dates travel as ISO 8601 strings. Objects are
 * open (`looseObject`): adding a field is not a breaking change.
 */
import { z } from 'zod';

// Checked loosely: the document stays readable; JSON.stringify of a Date is always this shape.
const date = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  .meta({ format: 'date-time' });
const id = z.string().min(1);

export const errorBody = z
  .strictObject({
    error: z.looseObject({
      code: z.string().regex(/^[A-Z_]+$/),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ title: 'Error' });

export const contact = z
  .looseObject({
    _id: id,
    externalId: z.string().optional(),
    name: z.string(),
    email: z.string().optional(),
    emailDomain: z.string().optional(),
    phone: z.string().optional(),
    tags: z.array(z.string()),
    custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    optedOut: z.boolean(),
    identities: z.array(z.looseObject({ channelId: z.string(), userId: z.string() })),
    segments: z.array(z.looseObject({ segmentId: z.string(), since: date })),
    lifetimeValue: z.number(),
    purchaseCount: z.number(),
    conversationCount: z.number(),
    leadScore: z.number().optional(),
    openDeals: z.number(),
    supportTickets: z.number(),
    totalTickets: z.number(),
    createdAt: date,
    updatedAt: date,
  })
  .meta({ title: 'Contact' });

export const contactPage = z.strictObject({ items: z.array(contact), nextCursor: z.string().nullable() });

export const segment = z
  .looseObject({
    _id: id,
    workspaceId: z.string(),
    name: z.string(),
    slug: z.string(),
    type: z.enum(['dynamic', 'static']),
    rule: z.record(z.string(), z.unknown()).optional(),
    ruleText: z.string().optional(),
    version: z.number().int(),
    priority: z.number().int(),
    routing: z.boolean(),
    description: z.string(),
    dependsOn: z.array(z.string()),
    memberCount: z.number().int().min(0).optional(),
    createdAt: date,
    updatedAt: date,
  })
  .meta({ title: 'Segment' });

const contactSummary = z.looseObject({ _id: id, name: z.string(), email: z.string().optional() });

export const preview = z.looseObject({
  ruleText: z.string(),
  rule: z.looseObject({ kind: z.enum(['group', 'condition']) }).meta({ description: 'The rule as its AST' }),
  count: z.number().int().min(0),
  sample: z.array(contactSummary).max(20),
  impact: z.strictObject({ enter: z.number().int().min(0), exit: z.number().int().min(0) }).optional(),
});

export const memberPage = z.strictObject({
  segment: z.strictObject({ _id: id, name: z.string() }),
  items: z.array(contactSummary),
  nextCursor: z.string().nullable(),
});

export const transition = z.looseObject({
  _id: id,
  contactId: z.string(),
  segmentId: z.string(),
  kind: z.enum(['entered', 'exited']),
  at: date,
  cause: z.enum(['contact', 'event', 'time', 'definition', 'manual']),
  seq: z.number().int(),
  position: z.number().int(),
});

export const transitionPage = z.strictObject({ items: z.array(transition), nextCursor: z.number().int() });

export const contactSegments = z.strictObject({
  items: z.array(
    z.looseObject({
      segmentId: z.string(),
      name: z.string(),
      slug: z.string(),
      type: z.enum(['dynamic', 'static']),
      priority: z.number(),
      since: date,
    }),
  ),
});

export const explanation = z.looseObject({ segment: z.string(), member: z.boolean() });

export const eventResults = z.strictObject({
  results: z.array(
    z.looseObject({
      eventId: z.string().nullable(),
      status: z.enum(['applied', 'duplicate', 'invalid', 'not-processed']),
      error: errorBody.shape.error.optional(),
    }),
  ),
  summary: z.strictObject({
    applied: z.number().int(),
    duplicate: z.number().int(),
    invalid: z.number().int(),
    notProcessed: z.number().int(),
  }),
});

const count = z.number().int().min(0);
export const ruleFields = z.strictObject({
  fields: z.array(z.strictObject({ name: z.string(), type: z.string(), description: z.string() })),
  operatorsByType: z.record(z.string(), z.array(z.string())),
  custom: z.strictObject({ prefix: z.string(), keyPattern: z.string() }),
  intents: z.array(z.string()),
  windows: z.strictObject({ maxCount: count, maxWindowDays: count }),
  workspace: z
    .strictObject({
      tags: z.array(z.strictObject({ name: z.string(), contacts: count })),
      custom: z.array(
        z.strictObject({
          key: z.string(),
          type: z.enum(['string', 'number', 'boolean', 'date', 'mixed']),
          contacts: count,
        }),
      ),
      sampled: count,
    })
    .meta({ description: 'Tags and custom fields of the newest 2,000 contacts, most used first' }),
});
