/**
 * GET /contacts filters as one Mongo filter, and the indexes that serve each of them. Email,
 * externalId and a channel identity go through the derived unique keys (contactKeys.ts), so at
 * most one contact is read; tag and segment filters walk a compound index in `_id` order, which
 * is also the keyset pagination's order.
 */
import type { Db, Document, IndexDescription } from 'mongodb';
import type { ContactFilter } from '../../domain/contacts/repo';
import { identityKey, key } from './contactKeys';

export const LOOKUP_INDEXES: IndexDescription[] = [
  { key: { workspaceId: 1, tagKeys: 1, _id: 1 }, name: 'contacts_tag_id' },
  { key: { workspaceId: 1, 'segments.segmentId': 1, _id: 1 }, name: 'contacts_segment_id' },
];

export async function ensureLookupIndexes(db: Db): Promise<void> {
  await db.collection('contacts').createIndexes(LOOKUP_INDEXES);
}

/** The filter for a page: workspace, the given filters, and `_id > afterId`. */
export function lookupFilter(
  workspaceId: string,
  afterId: string | undefined,
  f: ContactFilter = {},
): Document {
  const q: Document = { workspaceId };
  if (f.email !== undefined) q.emailKey = key(workspaceId, f.email.toLowerCase());
  if (f.externalId !== undefined) q.externalIdKey = key(workspaceId, f.externalId);
  if (f.identity !== undefined) q.identityKeys = identityKey(workspaceId, f.identity);
  // Values are compared with $eq: a user string is never read as an operator.
  if (f.tag !== undefined) q.tagKeys = { $eq: f.tag.toLowerCase() };
  if (f.segmentId !== undefined) q['segments.segmentId'] = { $eq: f.segmentId };
  if (afterId !== undefined) q._id = { $gt: afterId };
  return q;
}
