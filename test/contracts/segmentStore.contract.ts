/**
 * What the segment service, the membership catalogue and the bot rely on from a SegmentStore
 * (src/domain/ports/segments.ts): names unique per workspace case-insensitively (by `nameKey`),
 * `list` highest priority first (the bot's greeting and the handoff queue pick by it), nothing of
 * another workspace ever read or changed, and plain records back.
 */
import { parseRule } from '../../src/rules';
import type { SegmentStore } from '../../src/domain/ports/segments';
import type { Segment } from '../../src/domain/segments/types';
import { ConflictError } from '../../src/errors';
import { expectPlainRecord } from './plain';

const A = 'ws-a';
const B = 'ws-b';
const T0 = new Date('2024-03-01T10:00:00.000Z');

let seq = 0;
/** A segment as the service builds one (nameKey is the lower-cased name). */
export function aSegment(workspaceId: string, name: string, extra: Partial<Segment> = {}): Segment {
  return {
    _id: `seg-${++seq}`,
    workspaceId,
    name,
    nameKey: name.toLowerCase(),
    slug: name.toLowerCase().replace(/\W+/g, '-'),
    type: 'dynamic',
    rule: parseRule('lifetimeValue > 100 OR tag = "VIP"'),
    version: 1,
    priority: 0,
    routing: false,
    description: '',
    dependsOn: [],
    createdBy: 'test',
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

export function describeSegmentStoreContract(
  name: string,
  make: () => Promise<SegmentStore> | SegmentStore,
): void {
  describe(`SegmentStore contract: ${name}`, () => {
    let store: SegmentStore;
    beforeEach(async () => {
      store = await make();
    });

    test('an inserted segment reads back equal, as a plain record, by id and by name in any case', async () => {
      const s = aSegment(A, 'VIP Customers', { priority: 5, routing: true, dependsOn: ['seg-x'] });
      await store.insert({ ...s });
      const got = await store.get(A, s._id);
      expect(got).toEqual(s);
      expectPlainRecord(got);
      expect(await store.getByName(A, 'vip customers')).toEqual(s);
      expect(await store.getByName(A, 'VIP CUSTOMERS')).toEqual(s);
    });

    test('missing: get and getByName give null, replace and delete give false', async () => {
      expect(await store.get(A, 'nope')).toBeNull();
      expect(await store.getByName(A, 'Nope')).toBeNull();
      expect(await store.replace(aSegment(A, 'Nope'))).toBe(false);
      expect(await store.delete(A, 'nope')).toBe(false);
      // A replace of a missing segment does not create it.
      expect(await store.list(A)).toEqual([]);
    });

    test('another workspace sees nothing and changes nothing', async () => {
      const s = aSegment(A, 'Leads');
      await store.insert(s);
      expect(await store.get(B, s._id)).toBeNull();
      expect(await store.getByName(B, 'Leads')).toBeNull();
      expect(await store.list(B)).toEqual([]);
      expect(await store.replace({ ...s, workspaceId: B, name: 'Stolen', nameKey: 'stolen' })).toBe(false);
      expect(await store.delete(B, s._id)).toBe(false);
      expect(await store.get(A, s._id)).toEqual(s);
      expect(await store.getByName(B, 'Stolen')).toBeNull();
    });

    test('a duplicate name (in any case) is a ConflictError and changes nothing; another workspace may use it', async () => {
      const first = aSegment(A, 'Churn Risk');
      await store.insert(first);
      await expect(store.insert(aSegment(A, 'CHURN risk'))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.list(A)).toEqual([first]);
      await store.insert(aSegment(B, 'Churn Risk'));
      expect(await store.list(B)).toHaveLength(1);
    });

    test('renaming onto a taken name is a ConflictError and leaves both segments as they were', async () => {
      const a = aSegment(A, 'Alpha');
      const b = aSegment(A, 'Beta');
      await store.insert(a);
      await store.insert(b);
      await expect(store.replace({ ...b, name: 'ALPHA', nameKey: 'alpha' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await store.get(A, b._id)).toEqual(b);
      expect(await store.getByName(A, 'alpha')).toEqual(a);
    });

    test('replace swaps the whole definition; the old name is free again', async () => {
      const s = aSegment(A, 'Old Name', { description: 'before' });
      await store.insert(s);
      const next: Segment = {
        ...s,
        name: 'New Name',
        nameKey: 'new name',
        version: 2,
        description: 'after',
        updatedAt: new Date(T0.getTime() + 1000),
      };
      expect(await store.replace(next)).toBe(true);
      expect(await store.get(A, s._id)).toEqual(next);
      expect(await store.getByName(A, 'old name')).toBeNull();
      expect(await store.getByName(A, 'new name')).toEqual(next);
      await store.insert(aSegment(A, 'Old Name'));
    });

    test('list is highest priority first, then by name, with this workspace only', async () => {
      const low = aSegment(A, 'Low', { priority: -3 });
      const beta = aSegment(A, 'Beta', { priority: 7 });
      const alpha = aSegment(A, 'Alpha', { priority: 7 });
      const top = aSegment(A, 'Top', { priority: 100 });
      const mid = aSegment(A, 'Mid', { priority: 0 });
      for (const s of [low, beta, mid, top, alpha]) await store.insert(s);
      await store.insert(aSegment(B, 'Other', { priority: 50 }));
      const list = await store.list(A);
      expect(list.map((s) => s.name)).toEqual(['Top', 'Alpha', 'Beta', 'Mid', 'Low']);
      list.forEach(expectPlainRecord);
    });

    test('dependents are the segments of this workspace whose rule names the segment', async () => {
      const base = aSegment(A, 'Base');
      const uses = aSegment(A, 'Uses Base', { dependsOn: [base._id] });
      const usesToo = aSegment(A, 'Also Uses Base', { dependsOn: ['seg-other', base._id] });
      const unrelated = aSegment(A, 'Unrelated', { dependsOn: ['seg-other'] });
      const foreign = aSegment(B, 'Foreign', { dependsOn: [base._id] });
      for (const s of [base, uses, usesToo, unrelated, foreign]) await store.insert(s);
      const got = await store.dependents(A, base._id);
      expect(got.map((s) => s._id).sort()).toEqual([uses._id, usesToo._id].sort());
      got.forEach(expectPlainRecord);
      expect(await store.dependents(A, uses._id)).toEqual([]);
    });

    test('delete removes the segment (and only it) once; its name is free again', async () => {
      const s = aSegment(A, 'Gone Soon');
      const keep = aSegment(A, 'Keep');
      await store.insert(s);
      await store.insert(keep);
      expect(await store.delete(A, s._id)).toBe(true);
      expect(await store.get(A, s._id)).toBeNull();
      expect(await store.delete(A, s._id)).toBe(false);
      expect(await store.list(A)).toEqual([keep]);
      await store.insert(aSegment(A, 'gone soon'));
    });
  });
}
