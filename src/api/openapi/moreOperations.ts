/**
 * Campaigns, workflows, reports and the bulk import in the document. Their routes validate with
 * their own code; bodies are given where one schema validates them, and responses are described
 * by their top-level shape.
 */
import { z } from 'zod';
import { campaignInputSchema, templatePreviewSchema } from '../../domain/campaigns/input';
import { MAX_IMPORT } from '../../domain/contacts/import';
import { deliveriesQuery, resendSchema } from '../campaigns';
import { bindingBody, enabledBody, instancesQuery } from '../flows';
import { daysSchema, idsSchema, maxAgeSchema, metricSchema } from '../reports';
import { op, type ApiOperation } from './registry';

const any = z.looseObject({});
const page = z.looseObject({ items: z.array(any) });
const svg = 'image/svg+xml';
const maxAge = maxAgeSchema
  .optional()
  .describe('seconds the precomputed member figures may be old (default 900; 0 = exact)');
const importItems = z
  .array(z.unknown().meta({ description: 'A contact, as for POST /contacts; anything else is `invalid`' }))
  .min(1)
  .max(MAX_IMPORT);

const CAMPAIGNS: ApiOperation[] = [
  op('post', '/campaigns', 'Create a campaign (audience, template, schedule, rate)', 'Campaigns', {
    body: campaignInputSchema,
    ok: [201, any],
    errors: [409],
  }),
  op('get', '/campaigns', 'Every campaign', 'Campaigns', { ok: [200, page] }),
  op(
    'post',
    '/campaigns/preview',
    'A template rendered for one contact (or the sample contact)',
    'Campaigns',
    {
      body: templatePreviewSchema,
      ok: [
        200,
        z.strictObject({
          text: z.string(),
          contact: z.strictObject({ _id: z.string(), name: z.string() }).nullable(),
        }),
      ],
      errors: [404],
    },
  ),
  op('get', '/campaigns/{id}', 'One campaign with its counts by status', 'Campaigns', { ok: [200, any] }),
  ...(['start', 'pause', 'resume', 'cancel'] as const).map((action) =>
    op(
      'post',
      `/campaigns/{id}/${action}`,
      `${action[0]!.toUpperCase()}${action.slice(1)} the campaign`,
      'Campaigns',
      {
        ok: [200, any],
        errors: [409],
      },
    ),
  ),
  op('get', '/campaigns/{id}/deliveries', 'Deliveries, paged, by status', 'Campaigns', {
    query: deliveriesQuery,
    ok: [200, any],
  }),
  op(
    'post',
    '/campaigns/{id}/deliveries/resend',
    'Send chosen `unknown` deliveries once more (never automatic; a recipient may get a second copy)',
    'Campaigns',
    {
      body: resendSchema,
      ok: [
        200,
        z.looseObject({
          results: z.array(
            z.looseObject({
              id: z.string(),
              contactId: z.string().optional(),
              status: z.string(),
              reason: z.string().optional(),
              resent: z.boolean(),
            }),
          ),
          summary: z.record(z.string(), z.number()),
        }),
      ],
    },
  ),
];

const FLOWS: ApiOperation[] = [
  op('get', '/flows', 'The workflows', 'Flows', { ok: [200, any] }),
  op('get', '/flows/bindings', 'Which transitions start and stop which flow', 'Flows', { ok: [200, any] }),
  op('post', '/flows/bindings', 'Bind a flow to a segment entry or exit', 'Flows', {
    body: bindingBody,
    ok: [201, any],
    errors: [404, 409],
  }),
  op('patch', '/flows/bindings/{id}', 'Enable or disable a binding', 'Flows', {
    body: enabledBody,
    ok: [200, any],
  }),
  op('get', '/flows/instances', "A contact's or a flow's instances", 'Flows', {
    description: 'Give contactId, flowId or both (without either: 400).',
    query: instancesQuery,
    ok: [200, any],
  }),
  op('get', '/flows/instances/{id}', 'One instance with its history', 'Flows', { ok: [200, any] }),
  op('post', '/flows/instances/{id}/cancel', 'Cancel an instance', 'Flows', {
    ok: [200, any],
    errors: [409],
  }),
];

const REPORTS: ApiOperation[] = [
  op('get', '/reports/segments', 'Every segment: size, history, freshness', 'Reports', {
    query: z.object({ days: daysSchema.optional() }),
    ok: [200, any],
  }),
  op('get', '/reports/segments/{id}', "A segment's daily history", 'Reports', {
    query: z.object({ days: daysSchema.optional() }),
    ok: [200, any],
  }),
  op('get', '/reports/segments/{id}/chart.svg', "A segment's history as a chart", 'Reports', {
    query: z.object({ days: daysSchema.optional() }),
    ok: [200],
    contentType: svg,
  }),
  op('get', '/reports/compare', 'Metrics compared across segments', 'Reports', {
    query: z.object({ segments: idsSchema, maxAge }),
    ok: [200, any],
    errors: [404],
  }),
  op('get', '/reports/compare/chart.svg', 'A metric compared across segments, as a chart', 'Reports', {
    query: z.object({ segments: idsSchema, metric: metricSchema.optional(), maxAge }),
    ok: [200],
    errors: [404],
    contentType: svg,
  }),
];

const IMPORT: ApiOperation[] = [
  op(
    'post',
    '/contacts/import',
    'Up to 10,000 contacts (JSON array or NDJSON); a result per item',
    'Contacts',
    {
      description:
        'Each item is checked on its own and answered in its result (`invalid` with the reason, or ' +
        '`created` / `updated`); only the batch itself is refused whole. NDJSON: Content-Type application/x-ndjson.',
      body: z.union([importItems, z.strictObject({ contacts: importItems })]),
      ok: [200, any],
    },
  ),
];

export const MORE_OPERATIONS: ApiOperation[] = [...CAMPAIGNS, ...FLOWS, ...REPORTS, ...IMPORT];
