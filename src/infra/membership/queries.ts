/**
 * Read side of segments: preview (exact count and a sample for any rule, and the impact of an
 * edit), member pages and the transitions feed. Every query is scoped by workspace; filters come
 * only from compileMongo, never from user input.
 */
import type { Filter } from 'mongodb';
import { compileMongo, type Rule } from '../../rules';
import type { CompiledWorkspace } from '../../domain/membership/evaluate';
import type { Transition } from '../../domain/membership/transitions';
import type { SegmentCatalog } from './catalog';
import type { ContactDoc, MembershipCollections } from './store';

export interface ContactSummary {
  _id: string;
  name: string;
  email?: string;
  externalId?: string;
}

/** A transition as the feed shows it: with the contact's externalId and the segment's name. */
export type TransitionView = Transition & { externalId?: string; segmentName?: string };

export interface Preview {
  count: number;
  sample: ContactSummary[];
  /** For an edit of an existing segment: how many contacts would enter and exit. */
  impact?: { enter: number; exit: number };
}

const SUMMARY = { projection: { _id: 1, name: 1, email: 1, externalId: 1 } } as const;
/**
 * A deadline for the queries a rule typed by a user runs (preview, impact). MongoDB stops the
 * query and answers MaxTimeMSExpired (a 429 QUERY_TOO_SLOW); mongo-java-server ignores it, which
 * is why rules also have a cost budget (src/rules/cost.ts).
 */
export const PREVIEW_MAX_MS = 10_000;
const DEADLINE = { maxTimeMS: PREVIEW_MAX_MS } as const;

export class SegmentQueries {
  constructor(
    private readonly c: MembershipCollections,
    private readonly catalog: SegmentCatalog,
    private readonly clock: () => Date,
    /** The dispatcher's position: everything at or below it is in place for good (no gap fills later). */
    private readonly deliveredUpTo: () => Promise<number>,
    /** Segment id → name in a workspace (deleted segments are absent). */
    private readonly segmentNames: (workspaceId: string) => Promise<Map<string, string>> = () =>
      Promise.resolve(new Map<string, string>()),
  ) {}

  async preview(workspaceId: string, rule: Rule, editOf?: string, sampleSize = 20): Promise<Preview> {
    const ws = await this.catalog.get(workspaceId);
    const now = this.clock();
    const filter = compileMongo(rule, now, ws.ctx) as Filter<ContactDoc>;
    const matching: Filter<ContactDoc> = { $and: [{ workspaceId }, filter] };
    const [count, sample] = await Promise.all([
      this.c.contacts.countDocuments(matching, DEADLINE),
      this.c.contacts
        .find(matching, { ...SUMMARY, ...DEADLINE })
        .sort({ _id: 1 })
        .limit(sampleSize)
        .toArray(),
    ]);
    const result: Preview = { count, sample: sample.map(summary) };
    if (editOf) result.impact = await this.impact(workspaceId, filter, editOf, ws);
    return result;
  }

  /**
   * Who would enter and exit if segment `editOf` took the rule compiled to `filter`. For a
   * dynamic segment this compares the two rules' filters on the contacts themselves (new and
   * not old, old and not new), never the stored memberships: those mix both rules while a
   * rebuild runs, and the rules are exact. A static list compares against its members.
   */
  private async impact(
    workspaceId: string,
    filter: Filter<ContactDoc>,
    editOf: string,
    ws: CompiledWorkspace,
  ): Promise<{ enter: number; exit: number }> {
    const current = ws.dynamic.find((s) => s.id === editOf);
    const old: Filter<ContactDoc> = current
      ? (compileMongo(current.rule, this.clock(), ws.ctx) as Filter<ContactDoc>)
      : { 'segments.segmentId': editOf };
    const [enter, exit] = await Promise.all([
      this.c.contacts.countDocuments({ $and: [{ workspaceId }, filter, { $nor: [old] }] }, DEADLINE),
      this.c.contacts.countDocuments({ $and: [{ workspaceId }, old, { $nor: [filter] }] }, DEADLINE),
    ]);
    return { enter, exit };
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
    // The cursor is the last position this workspace saw, never the dispatcher's (global)
    // position: that one moves with every workspace's changes, and a workspace with no
    // transitions would watch its cursor tick with another tenant's activity (issue 28). Paging on
    // from the last item has no gap: every position of this feed up to it was on this page or before.
    const nextCursor = items[items.length - 1]?.position ?? after;
    return { items: await this.named(workspaceId, items), nextCursor };
  }

  /** Adds the contacts' externalIds (one indexed read per page) and the segments' current names. */
  private async named(workspaceId: string, items: Transition[]): Promise<TransitionView[]> {
    if (items.length === 0) return [];
    const ids = [...new Set(items.map((t) => t.contactId))];
    const [contacts, names] = await Promise.all([
      this.c.contacts
        .find({ workspaceId, _id: { $in: ids } }, { projection: { _id: 1, externalId: 1 } })
        .toArray(),
      this.segmentNames(workspaceId),
    ]);
    const ext = new Map(contacts.map((c) => [c._id, c.externalId]));
    return items.map((t) => {
      const externalId = ext.get(t.contactId);
      const segmentName = names.get(t.segmentId);
      return { ...t, ...(externalId ? { externalId } : {}), ...(segmentName ? { segmentName } : {}) };
    });
  }
}

function summary(d: Pick<ContactDoc, '_id' | 'name' | 'email' | 'externalId'>): ContactSummary {
  return {
    _id: d._id,
    name: d.name,
    ...(d.email ? { email: d.email } : {}),
    ...(d.externalId ? { externalId: d.externalId } : {}),
  };
}
