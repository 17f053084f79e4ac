/**
 * Freshness that measures truth: counts, per dynamic segment, the contacts whose STORED
 * membership disagrees with the segment's rule, compiled exactly as the engine compiles it (the
 * same catalog, so `in segment` reads the same stored memberships the engine's pass would).
 *
 * A contact counts only if it disagrees both at `now` and at `now − lagMs`: one whose rule
 * flipped within the last lag bound is the sweeper's normal delay, not a wrong membership; for a
 * rule that does not move with the clock the two instants are the same question.
 *
 * Cost: one count per dynamic segment, each a pass over the workspace's contacts that the
 * `workspaceId` prefix narrows but that no index can answer (the rule is arbitrary): on MongoDB
 * it reads every contact of the workspace once per segment; on mongo-java-server it scans the
 * collection. docs/membership.md gives measured figures.
 */
import type { Filter } from 'mongodb';
import { compileMongo, dependsOnTime } from '../../rules';
import type { CompiledWorkspace } from '../../domain/membership/evaluate';
import type { ContactDoc, MembershipCollections } from '../membership/store';

/** The filter of contacts of `segmentId` whose membership disagrees with `rule` beyond the lag. */
export function disagreementFilter(
  workspaceId: string,
  ws: CompiledWorkspace,
  segmentId: string,
  now: Date,
  lagMs: number,
): Filter<ContactDoc> | undefined {
  const seg = ws.dynamic.find((s) => s.id === segmentId);
  if (!seg) return undefined;
  const at = (t: Date) => compileMongo(seg.rule, t, ws.ctx) as Filter<ContactDoc>;
  const matches = dependsOnTime(seg.rule, ws.ctx)
    ? [at(now), at(new Date(now.getTime() - lagMs))]
    : [at(now)];
  const member: Filter<ContactDoc> = { 'segments.segmentId': segmentId };
  return {
    workspaceId,
    $or: [
      { $and: [member, ...matches.map((m) => ({ $nor: [m] }))] },
      { $and: [{ $nor: [member] }, ...matches] },
    ],
  };
}

/** Disagreeing contacts per dynamic segment among `segmentIds` (others are absent). */
export async function disagreements(
  c: Pick<MembershipCollections, 'contacts'>,
  workspaceId: string,
  ws: CompiledWorkspace,
  segmentIds: readonly string[],
  now: Date,
  lagMs: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    segmentIds.map(async (id) => {
      const filter = disagreementFilter(workspaceId, ws, id, now, lagMs);
      if (filter) out.set(id, await c.contacts.countDocuments(filter));
    }),
  );
  return out;
}
