/**
 * Campaign recipients written straight to the database (thousands in a second, where chat turns
 * would take minutes): contacts who are members of a segment or list, each with a stored
 * conversation reference pointing at a channel's serviceUrl, one conversation per contact so
 * the channel's own count tells who received what.
 */
import type { Db } from 'mongodb';
import { ZERO_TRAITS, type Contact } from '../../src/domain/contacts/types';

export interface Recipient {
  contactId: string;
  conversationId: string;
}

export interface SeedOptions {
  /** Segment ids every recipient is a member of. */
  segmentIds: string[];
  serviceUrl: string;
  prefix?: string;
  /** Contacts with these indexes said stop. */
  optedOut?: (i: number) => boolean;
  /** Contacts with these indexes have no conversation reference. */
  noRef?: (i: number) => boolean;
}

export async function seedRecipients(db: Db, ws: string, n: number, o: SeedOptions): Promise<Recipient[]> {
  const prefix = o.prefix ?? 'r';
  const now = new Date();
  const out: Recipient[] = [];
  for (let start = 0; start < n; start += 1000) {
    const contacts: Contact[] = [];
    const refs: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const id = `${prefix}${String(i).padStart(6, '0')}`;
      const conversationId = `conv-${id}`;
      contacts.push({
        ...ZERO_TRAITS,
        _id: id,
        workspaceId: ws,
        name: `Recipient ${i}`,
        createdAt: now,
        updatedAt: now,
        tags: [],
        custom: {},
        optedOut: o.optedOut?.(i) ?? false,
        identities: [{ channelId: 'chat-cli', userId: `user-${id}` }],
        segments: o.segmentIds.map((segmentId) => ({ segmentId, since: now })),
        nextRecheckAt: null,
        version: 1,
      });
      if (!o.noRef?.(i))
        refs.push({
          _id: JSON.stringify([ws, 'contact', id]),
          workspaceId: ws,
          kind: 'contact',
          contactId: id,
          refJson: JSON.stringify({
            channelId: 'chat-cli',
            serviceUrl: o.serviceUrl,
            conversation: { id: conversationId },
            user: { id: `user-${id}` },
            bot: { id: 'bot', name: 'Segments' },
          }),
          updatedAt: now,
        });
      out.push({ contactId: id, conversationId });
    }
    await db.collection<Contact>('contacts').insertMany(contacts);
    if (refs.length) await db.collection<{ _id: string }>('conversation_refs').insertMany(refs as never[]);
  }
  return out;
}

/** How many messages each conversation received (from the channel's own log). */
export function receivedPerConversation(
  received: readonly { conversation?: { id: string } }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of received) {
    const id = a.conversation?.id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
