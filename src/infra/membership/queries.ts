/**
 * Read side of segments: preview (exact count and a sample for any rule, and the impact of an
 * edit), member pages and the transitions feed. Every query is scoped by workspace; filters come
 * only from compileMongo, never from user input.
 */
import type { Filter } from 'mongodb';
import { compileMongo, type Rule } from '../../rules';
import type { Transition } from '../../domain/membership/transitions';
import type { SegmentCatalog } from './catalog';
import type { ContactDoc, MembershipCollections } from './store';

export interface ContactSummary {
  _id: string;
  name: string;
  email?: string;
}

export interface Preview {
  count: number;
  sample: ContactSummary[];
  /** For an edit of an existing segment: how many contacts would enter and exit. */
  impact?: { enter: number; exit: number };
}

const SUMMARY = { projection: { _id: 1, name: 1, email: 1 } } as const;

export class SegmentQueries {
  constructor(
    private readonly c: MembershipCollections,
    private readonly catalog: SegmentCatalog,
    private readonly clock: () => Date,
    /** The dispatcher's position: everything at or below it is in place for good (no gap fills later). */
    private readonly deliveredUpTo: () => Promise<number>,
  ) {}

  async preview(workspaceId: string, rule: Rule, editOf?: string, sampleSize = 20): Promise<Preview> {
    const ws = await this.catalog.get(workspaceId);
    const now = this.clock();
    const filter = compileMongo(rule, now, ws.ctx) as Filter<ContactDoc>;
    const matching: Filter<ContactDoc> = { $and: [{ workspaceId }, filter] };
    const [count, sample] = await Promise.all([
      this.c.contacts.countDocuments(matching),
      this.c.contacts.find(matching, SUMMARY).sort({ _id: 1 }).limit(sampleSize).toArray(),
    ]);
    const result: Preview = { count, sample: sample.map(summary) };
    if (editOf) {
      // From the rules, not from the stored memberships: right after a create or an edit those
      // are still being rebuilt, and a half-built segment would report most contacts entering.
      const current = ws.dynamic.find((d) => d.id === editOf)?.rule;
      const was: Filter<ContactDoc> = current
        ? (compileMongo(current, now, ws.ctx) as Filter<ContactDoc>)
        : { 'segments.segmentId': editOf }; // a static list: its members are its definition
      const [enter, exit] = await Promise.all([
        this.c.contacts.countDocuments({ $and: [{ workspaceId }, filter, { $nor: [was] }] }),
        this.c.contacts.countDocuments({ $and: [{ workspaceId }, was, { $nor: [filter] }] }),
      ]);
      result.impact = { enter, exit };
    }
    return result;
  }

  memberCount(workspaceId: string, segmentId: string): Promise<number> {
    return this.c.contacts.countDocuments({ workspaceId, 'segments.segmentId': segmentId });
  }

  /** A page of members in `_id` order; `cursor` is the last id of the previous page. */
  async members(workspaceId: string, segmentId: string, cursor: string | undefined, limit: number) {
    const docs = await this.c.contacts
      .find(
        { workspaceId, 'segments.segmentId': segmentId, ...(cursor ? { _id: { $gt: cursor } } : {}) },
        SUMMARY,
      )
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return {
      items: docs.map(summary),
      nextCursor: docs.length === limit ? docs[docs.length - 1]!._id : null,
    };
  }

  /**
   * The transitions feed in dispatch order; `cursor` is the last position seen. Only positions
   * the dispatcher has passed are shown: a position still being written can never appear later
   * behind a client's cursor, so paging has no gaps and no repeats.
   */
  async transitions(
    workspaceId: string,
    after: number,
    limit: number,
    filter: { segmentId?: string; contactId?: string },
  ) {
    const upTo = await this.deliveredUpTo();
    const items: Transition[] = await this.c.transitions
      .find({ workspaceId, position: { $gt: after, $lte: upTo }, ...filter })
      .sort({ position: 1 })
      .limit(limit)
      .toArray();
    // A short page has seen everything up to `upTo`: the next one may start there.
    const last = items[items.length - 1];
    const nextCursor = items.length < limit ? Math.max(after, upTo) : last!.position;
    return { items, nextCursor };
  }
}

function summary(d: Pick<ContactDoc, '_id' | 'name' | 'email'>): ContactSummary {
  return { _id: d._id, name: d.name, ...(d.email ? { email: d.email } : {}) };
}
