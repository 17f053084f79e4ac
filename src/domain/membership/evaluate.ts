/**
 * Pure membership evaluation: a workspace's segments compiled once per definition generation,
 * and one contact's new memberships, the diff and its next recheck instant.
 */
import {
  compilePredicate,
  nextFlip,
  type Predicate,
  type Rule,
  type RuleContact,
  type RuleContext,
} from '../../rules';
import type { Membership } from '../contacts/types';
import { dependencyOrder } from '../segments/graph';
import type { Segment } from '../segments/types';

export interface CompiledSegment {
  id: string;
  rule: Rule;
  predicate: Predicate;
}

export interface CompiledWorkspace {
  generation: number;
  /** Dynamic segments, dependencies first, so `in segment` sees this pass's result. */
  dynamic: CompiledSegment[];
  /** Every segment id that exists (dynamic and static). */
  existing: Set<string>;
  ctx: RuleContext;
}

export function compileWorkspace(segments: readonly Segment[], generation: number): CompiledWorkspace {
  const byName = new Map(segments.map((s) => [s.nameKey, s._id]));
  const ctx: RuleContext = { resolveSegment: (name) => byName.get(name.toLowerCase()) };
  const dynamic = dependencyOrder(segments.filter((s) => s.type === 'dynamic' && s.rule)).map((s) => ({
    id: s._id,
    rule: s.rule!,
    predicate: compilePredicate(s.rule!, ctx),
  }));
  return { generation, dynamic, existing: new Set(segments.map((s) => s._id)), ctx };
}

export interface MembershipResult {
  segments: Membership[];
  entered: string[];
  exited: string[];
  nextRecheckAt: Date | null;
}

/** What the contact's memberships are at `now`; static list memberships are kept as they are. */
export function evaluateMembership(contact: object, ws: CompiledWorkspace, now: Date): MembershipResult {
  // Stored contacts always carry `since`; RuleContact only makes it optional for rule tests.
  const memberships = ((contact as RuleContact).segments ?? []) as Membership[];
  const before = new Map(memberships.map((m) => [m.segmentId, m]));
  const dynamicIds = new Set(ws.dynamic.map((d) => d.id));
  // Keep static memberships of lists that still exist; dynamic ones are recomputed below.
  const current: Membership[] = [...before.values()].filter(
    (m) => ws.existing.has(m.segmentId) && !dynamicIds.has(m.segmentId),
  );
  const view: RuleContact = { ...contact, segments: current };
  let next: number | null = null;
  for (const seg of ws.dynamic) {
    if (seg.predicate(view, now)) current.push(before.get(seg.id) ?? { segmentId: seg.id, since: now });
    const flip = nextFlip(seg.rule, view, now, ws.ctx);
    if (flip && (next === null || flip.getTime() < next)) next = flip.getTime();
  }
  const after = new Set(current.map((m) => m.segmentId));
  return {
    segments: current,
    entered: current.filter((m) => !before.has(m.segmentId)).map((m) => m.segmentId),
    exited: [...before.keys()].filter((id) => !after.has(id)),
    nextRecheckAt: next === null ? null : new Date(next),
  };
}
