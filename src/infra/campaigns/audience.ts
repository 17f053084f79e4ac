/**
 * What a run reads about its recipients: the audience's member ids (one indexed query on the
 * multikey `segments.segmentId`, streamed), and for a batch of deliveries their contacts and
 * conversation references (two `$in` reads per batch instead of two reads per message).
 */
import type { ConversationReference } from 'botbuilder';
import type { Db, Document } from 'mongodb';
import type { Audience } from '../../domain/campaigns/types';
import type { Contact } from '../../domain/contacts/types';
import { HIDDEN } from '../repos/contactKeys';
import type { ConversationRefRepo } from '../repos/conversationRefs';

export class AudienceReader {
  constructor(
    private readonly db: Db,
    private readonly refs: Pick<ConversationRefRepo, 'forContacts'>,
  ) {}

  /** Member ids of the audience now, in chunks of `chunk`. */
  async *memberIds(workspaceId: string, audience: Audience, chunk = 1000): AsyncGenerator<string[]> {
    const inSegment = { 'segments.segmentId': audience.segmentId };
    const filter: Document = audience.excludeSegmentId
      ? { workspaceId, $and: [inSegment, { 'segments.segmentId': { $ne: audience.excludeSegmentId } }] }
      : { workspaceId, ...inSegment };
    const cursor = this.db
      .collection<{ _id: string }>('contacts')
      .find(filter, { projection: { _id: 1 } })
      .batchSize(chunk);
    let ids: string[] = [];
    for await (const doc of cursor) {
      ids.push(doc._id);
      if (ids.length >= chunk) {
        yield ids;
        ids = [];
      }
    }
    if (ids.length) yield ids;
  }

  /**
   * Contacts by id. The filter is `_id` alone, the one index mongo-java-server serves `$in` by
   * (with workspaceId added it scans every contact per batch); the workspace is checked on each
   * document instead, so another workspace's contact is never used.
   */
  async contacts(workspaceId: string, ids: readonly string[]): Promise<Map<string, Contact>> {
    const docs = await this.db
      .collection<Contact>('contacts')
      .find({ _id: { $in: [...ids] } }, { projection: HIDDEN })
      .toArray();
    return new Map(docs.filter((c) => c.workspaceId === workspaceId).map((c) => [c._id, c]));
  }

  refsOf(workspaceId: string, ids: readonly string[]): Promise<Map<string, Partial<ConversationReference>>> {
    return this.refs.forContacts(workspaceId, ids);
  }
}
