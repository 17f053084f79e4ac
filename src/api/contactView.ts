/**
 * The contact as the REST API shows it: a whitelist of public fields, so bookkeeping the
 * repositories or the membership engine keep on the document (`version`, `nextRecheckAt`, the
 * outbox, flush leases, derived keys, recent message ids) never leaks, whatever is added later.
 */
import type { Contact } from '../domain/contacts/types';

const PUBLIC_FIELDS = [
  '_id',
  'externalId',
  'name',
  'email',
  'emailDomain',
  'phone',
  'createdAt',
  'updatedAt',
  'tags',
  'custom',
  'optedOut',
  'identities',
  'lifetimeValue',
  'purchaseCount',
  'lastPurchaseAt',
  'lastConversationAt',
  'lastMessageAt',
  'conversationCount',
  'leadScore',
  'leadScoreAt',
  'openDeals',
  'supportTickets',
  'totalTickets',
  'handoffStatus',
  'handoffWaitingSince',
] as const;

/** A contact's public fields and its memberships (`{segmentId, since}`), nothing else. */
export function publicContact(c: Contact): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = c as unknown as Record<string, unknown>;
  for (const k of PUBLIC_FIELDS) if (source[k] !== undefined) out[k] = source[k];
  out.segments = c.segments.map((m) => ({ segmentId: m.segmentId, since: m.since }));
  return out;
}
