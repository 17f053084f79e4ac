/**
 * Input schemas for contact writes. Objects are strict (an unknown key is an error, reported at
 * that key), and every field that ends up in a Mongo filter or path is a checked scalar.
 */
import { z } from 'zod';
import { codePoints, email, emailSchema, optionalText, text, trimBlanks, wholeNumberParam } from '../wire';
import { CUSTOM_VALUE_JSON_SCHEMA, customFieldsSchema } from './custom';
import { tagListSchema } from './tags';

/** Only for "not an object": other issues (an unknown key) keep zod's own message. */
export const objectError = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined),
});

export const externalIdSchema = text(200, 'externalId');
export { emailSchema };
const phoneSchema = z
  .string({ error: 'phone must be a string' })
  .refine((s) => codePoints(s) <= 40, 'phone must be at most 40 characters')
  .regex(/[^ \t\n\r]/, 'phone must not be empty')
  .regex(
    /^[ \t\n\r]*[+0-9().-](?:[+0-9 ().-]*[+0-9().-])?[ \t\n\r]*$/,
    'phone may hold digits, spaces, + ( ) . and -',
  )
  .transform(trimBlanks)
  .meta({ maxLength: 40 });
const nameSchema = optionalText(200, 'name');
const leadScoreSchema = z
  .number({ error: 'leadScore must be a number' })
  .min(0, 'leadScore must be from 0 to 100')
  .max(100, 'leadScore must be from 0 to 100');
const optedOutSchema = z.boolean({ error: 'optedOut must be true or false' });
/** A past instant (the service checks "not in the future" against its clock). */
const instant = (what: string) =>
  z.iso
    .datetime({ offset: true, error: `${what} must be an ISO date-time, e.g. 2024-05-01T09:30:00Z` })
    .transform((s) => new Date(s))
    .refine((d) => d.getUTCFullYear() >= 1900, `${what} must be after 1900`)
    .meta({ description: 'An ISO date-time from 1900 up to now (a future one is refused)' });
const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must be at least 0`)
    .max(1e9, `${what} must be at most 1,000,000,000`);

/**
 * Migration input: when the contact was created elsewhere, and its traits so far. Applied when a
 * contact is created (events own the traits afterwards); `createdAt` also moves an existing
 * contact's creation back, never forward (the earliest known creation wins).
 */
export const initialShape = {
  createdAt: instant('createdAt').optional(),
  lifetimeValue: z
    .number({ error: 'lifetimeValue must be a number' })
    .refine(Number.isFinite, 'lifetimeValue must be finite')
    .optional(),
  purchaseCount: count('purchaseCount').optional(),
  lastPurchaseAt: instant('lastPurchaseAt').optional(),
  lastConversationAt: instant('lastConversationAt').optional(),
  conversationCount: count('conversationCount').optional(),
  openDeals: count('openDeals').optional(),
  supportTickets: count('supportTickets').optional(),
  totalTickets: count('totalTickets').optional(),
};
/** The fields of `initialShape` that must not be in the future. */
export const PAST_FIELDS = ['createdAt', 'lastPurchaseAt', 'lastConversationAt'] as const;

export const identitySchema = z.strictObject({
  channelId: text(100, 'channelId'),
  userId: text(200, 'userId'),
});

/** POST /contacts: create, or update the contact with the same externalId or email. */
export const contactInputSchema = z.strictObject(
  {
    externalId: externalIdSchema.optional(),
    name: nameSchema.optional(),
    email: emailSchema.optional(),
    phone: phoneSchema.optional(),
    tags: tagListSchema.optional(),
    custom: customFieldsSchema.optional(),
    optedOut: optedOutSchema.optional(),
    leadScore: leadScoreSchema.optional(),
    identities: z.array(identitySchema, { error: 'must be an array' }).max(20, 'at most 20').optional(),
    ...initialShape,
  },
  objectError('body must be a JSON object'),
);
export type ContactInput = z.output<typeof contactInputSchema>;

/** PATCH /contacts/:id: `null` clears an optional field; custom fields merge; tags replace. */
export const contactPatchSchema = z
  .strictObject(
    {
      externalId: externalIdSchema.nullable().optional(),
      name: nameSchema.optional(),
      email: emailSchema.nullable().optional(),
      phone: phoneSchema.nullable().optional(),
      tags: tagListSchema.optional(),
      custom: customFieldsSchema.optional(),
      optedOut: optedOutSchema.optional(),
      leadScore: leadScoreSchema.nullable().optional(),
    },
    objectError('body must be a JSON object'),
  )
  .meta({ minProperties: 1 }); // the service refuses an empty patch: nothing to change
export type ContactPatch = z.output<typeof contactPatchSchema>;

/** POST /contacts/:id/tags */
export const tagChangeSchema = z.strictObject(
  { add: tagListSchema.optional(), remove: tagListSchema.optional() },
  objectError('body must be a JSON object'),
);

/** PUT /contacts/:id/custom/:key takes `{value}`; the value is checked by toCustomValue. */
export const customPutSchema = z.strictObject(
  // Required (undefined is not a value), and documented as what toCustomValue accepts.
  {
    value: z
      .unknown()
      .refine((v) => v !== undefined, 'value is required')
      .meta(CUSTOM_VALUE_JSON_SCHEMA),
  },
  objectError('body must be {"value": …}'),
);

/** A GET /contacts filter value: one non-blank string (never an array or object). */
const filterText = (what: string, max: number) => text(max, what, `${what} must be given once, as text`);

/**
 * GET /contacts query. The cursor is opaque to clients (base64url of the last _id). The filters
 * find a contact by who they are; an unknown parameter is refused (a misspelt filter must not
 * silently list everyone).
 */
export const listQuerySchema = z
  .strictObject({
    cursor: z
      .string({ error: 'cursor must be a string' })
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'cursor is not one this API returned')
      .optional(),
    limit: wholeNumberParam(1, 200, 'limit must be a whole number from 1 to 200').optional(),
    email: email('email must be given once, as text').optional(),
    externalId: filterText('externalId', 200).optional(),
    channelId: filterText('channelId', 100).optional(),
    userId: filterText('userId', 200).optional(),
    tag: filterText('tag', 64).optional(),
    segment: filterText('segment', 100).optional(),
  })
  .refine((q) => (q.channelId === undefined) === (q.userId === undefined), {
    message: 'channelId and userId go together (a channel identity)',
    path: ['userId'],
  });
export type ListQuery = z.output<typeof listQuerySchema>;
