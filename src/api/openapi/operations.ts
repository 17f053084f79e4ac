/**
 * Every route under /api/v1, one entry each, with the schemas that validate it. A new route adds
 * one `op(...)` line here (or its own list, spread into `API_OPERATIONS`) and is in the document.
 */
import { z } from 'zod';
import {
  contactInputSchema,
  contactPatchSchema,
  customPutSchema,
  listQuerySchema,
  tagChangeSchema,
} from '../../domain/contacts/validation';
import { eventEnvelopeSchema } from '../../domain/events/types';
import {
  addMembersSchema,
  membersQuerySchema,
  previewSchema,
  segmentCreateSchema,
  segmentPatchSchema,
  transitionsQuerySchema,
} from '../segmentSchemas';
import { keyCreateSchema, workspaceCreateSchema } from '../admin';
import { customKeySchema } from '../../domain/contacts/custom';
import { MORE_OPERATIONS } from './moreOperations';
import { op, type ApiOperation } from './registry';
import * as r from './responses';

/**
 * Each item is checked on its own (an `Event`, components/schemas/Event) and answered in its
 * result: one that is not an event is `invalid`, the others are applied. So the document lets an
 * item be any JSON value; only the batch itself (1 to 1,000 items) is refused whole.
 */
const eventItem = z.unknown().meta({ description: 'An Event; anything else is answered `invalid`' });
const events = z.array(eventItem).min(1).max(1000);
export const COMPONENT_SCHEMAS = { Event: eventEnvelopeSchema };

const workspace = z.looseObject({ _id: z.string(), name: z.string(), createdAt: z.string() });
const createdKey = z.looseObject({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  key: z.string(),
});
const keyInfo = z.looseObject({ _id: z.string(), workspaceId: z.string(), name: z.string() });

/** Workspaces and keys: the bootstrap key only (403 for any other). */
const ADMIN: ApiOperation[] = [
  op('post', '/admin/workspaces', 'Create a workspace; its first key is returned once', 'Admin', {
    body: workspaceCreateSchema,
    ok: [201, z.strictObject({ workspace, key: createdKey })],
    errors: [403, 409],
  }),
  op('get', '/admin/workspaces', 'Every workspace', 'Admin', {
    ok: [200, z.strictObject({ items: z.array(workspace) })],
    errors: [403],
  }),
  op('post', '/admin/workspaces/{id}/keys', 'A new key for the workspace, returned once', 'Admin', {
    body: keyCreateSchema,
    bodyOptional: true,
    ok: [201, createdKey],
    errors: [403],
  }),
  op('get', '/admin/workspaces/{id}/keys', "The workspace's keys (never a secret or hash)", 'Admin', {
    ok: [200, z.strictObject({ items: z.array(keyInfo) })],
    errors: [403],
  }),
  op('delete', '/admin/workspaces/{id}/keys/{keyId}', 'Revoke a key: it stops working at once', 'Admin', {
    ok: [204],
    errors: [403],
  }),
];

export const API_OPERATIONS: ApiOperation[] = [
  ...ADMIN,
  ...MORE_OPERATIONS,
  op(
    'post',
    '/contacts',
    'Create a contact, or update the one with the same externalId or email',
    'Contacts',
    {
      body: contactInputSchema,
      ok: [201, r.contact],
      alsoOk: [200, r.contact],
      errors: [409],
    },
  ),
  op('get', '/contacts', 'Contacts by _id, a page at a time', 'Contacts', {
    query: listQuerySchema,
    ok: [200, r.contactPage],
  }),
  op('get', '/contacts/{id}', 'One contact with its segments', 'Contacts', { ok: [200, r.contact] }),
  op('patch', '/contacts/{id}', 'Change a contact (null clears a field)', 'Contacts', {
    body: contactPatchSchema,
    ok: [200, r.contact],
    errors: [409],
  }),
  op('delete', '/contacts/{id}', 'Delete a contact', 'Contacts', { ok: [204] }),
  op('post', '/contacts/{id}/tags', 'Add and remove tags', 'Contacts', {
    body: tagChangeSchema,
    ok: [200, r.contact],
  }),
  op('put', '/contacts/{id}/custom/{key}', 'Set a custom field', 'Contacts', {
    params: { key: customKeySchema },
    body: customPutSchema,
    ok: [200, r.contact],
  }),
  op('delete', '/contacts/{id}/custom/{key}', 'Remove a custom field', 'Contacts', {
    params: { key: customKeySchema },
    ok: [200, r.contact],
  }),
  op(
    'get',
    '/contacts/{id}/segments',
    "The contact's segments and lists, highest priority first",
    'Segments',
    {
      ok: [200, r.contactSegments],
    },
  ),
  op('get', '/contacts/{id}/segments/{segmentId}/explain', 'Why a contact is (not) a member', 'Segments', {
    ok: [200, r.explanation],
  }),
  op('post', '/events', '1 to 1,000 events (an array, or {events: [...]}); a result per item', 'Events', {
    description:
      'Each item is checked as an `Event` (see components) and answered in its own result: an item ' +
      'that is not one is `invalid`, the others are applied in order. Only the batch itself is refused whole.',
    body: z.union([events, z.strictObject({ events })]),
    ok: [200, r.eventResults],
  }),
  op('post', '/segments', 'Create a dynamic segment (with a rule) or a static list', 'Segments', {
    body: segmentCreateSchema,
    ok: [201, r.segment],
    errors: [409],
  }),
  op('get', '/segments', 'Every segment with its member count', 'Segments', {
    ok: [200, z.strictObject({ items: z.array(r.segment) })],
  }),
  op(
    'post',
    '/segments/preview',
    'Exact count and a sample for a rule; with segmentId, who would enter and exit',
    'Segments',
    {
      body: previewSchema,
      ok: [200, r.preview],
      errors: [404, 429],
    },
  ),
  op(
    'get',
    '/rules/fields',
    'What a rule may name: the catalogue, and the tags and custom fields in use',
    'Segments',
    {
      ok: [200, r.ruleFields],
    },
  ),
  op('get', '/segments/{id}', 'One segment with its member count', 'Segments', { ok: [200, r.segment] }),
  op('patch', '/segments/{id}', 'Change a segment (a rule change rebuilds it)', 'Segments', {
    body: segmentPatchSchema,
    ok: [200, r.segment],
    errors: [409],
  }),
  op('delete', '/segments/{id}', 'Delete a segment (409 while another depends on it)', 'Segments', {
    ok: [204],
    errors: [409],
  }),
  op('get', '/segments/{id}/members', 'Members by _id, a page at a time', 'Segments', {
    query: membersQuerySchema,
    ok: [200, r.memberPage],
  }),
  op('post', '/segments/{id}/members', 'Add contacts to a static list', 'Segments', {
    body: addMembersSchema,
    ok: [
      200,
      z.strictObject({
        results: z.array(
          z.looseObject({
            contactId: z.string(),
            status: z.enum(['added', 'already', 'not_found']),
            added: z.boolean(),
          }),
        ),
        summary: z.strictObject({
          added: z.number().int(),
          already: z.number().int(),
          notFound: z.number().int(),
        }),
      }),
    ],
  }),
  op('delete', '/segments/{id}/members/{contactId}', 'Remove a contact from a static list', 'Segments', {
    ok: [200, z.strictObject({ removed: z.boolean() })],
  }),
  op('get', '/transitions', 'The transition feed in dispatch order', 'Segments', {
    query: transitionsQuerySchema,
    ok: [200, r.transitionPage],
  }),
];
