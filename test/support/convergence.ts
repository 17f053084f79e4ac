/**
 * Convergence checks shared by the membership crash and race tests: every transition history is
 * well-formed and agrees with the stored memberships, which agree with a fresh evaluation.
 */
import { evaluateMembership } from '../../src/domain/membership/evaluate';
import type { Transition } from '../../src/domain/membership/transitions';
import { WS, type Fixture } from './membershipFixture';

/** Every (contact, segment) alternates entered/exited from entered; seqs are 1..n per contact. */
function checkHistory(transitions: Transition[]): Map<string, Set<string>> {
  const byContact = new Map<string, Transition[]>();
  for (const t of transitions) byContact.set(t.contactId, [...(byContact.get(t.contactId) ?? []), t]);
  const members = new Map<string, Set<string>>();
  for (const [contactId, ts] of byContact) {
    ts.sort((a, b) => a.seq - b.seq);
    expect(ts.map((t) => t.seq)).toEqual(ts.map((_, i) => i + 1));
    const inside = new Set<string>();
    for (const t of ts) {
      expect(inside.has(t.segmentId)).toBe(t.kind === 'exited');
      if (t.kind === 'entered') inside.add(t.segmentId);
      else inside.delete(t.segmentId);
    }
    members.set(contactId, inside);
  }
  return members;
}

/** Stored memberships equal a fresh evaluation and the transition history; no outbox is left. */
export async function expectConverged(f: Fixture): Promise<void> {
  const ws = await f.membership.catalog.get(WS);
  const docs = await f.membership.collections.contacts.find({ workspaceId: WS }).toArray();
  const history = checkHistory(await f.transitions());
  for (const doc of docs) {
    const fresh = evaluateMembership(doc, ws, f.clock.now());
    expect(fresh.entered).toEqual([]);
    expect(fresh.exited).toEqual([]);
    expect(doc.pendingTransitions ?? []).toEqual([]);
    const stored = doc.segments.map((m) => m.segmentId).sort();
    expect(stored).toEqual([...(history.get(doc._id) ?? [])].sort());
  }
}
