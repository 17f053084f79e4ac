/**
 * What CampaignService and the campaign jobs rely on from a CampaignStore
 * (src/domain/campaigns/service.ts): names unique per workspace case-insensitively, a name lookup
 * that forgives case and surrounding spaces (chat commands pass what was typed), and status changes
 * that apply only from the expected statuses (a concurrent change is detected, never lost).
 */
import type { CampaignStore } from '../../src/domain/campaigns/service';
import type { Campaign } from '../../src/domain/campaigns/types';
import { ConflictError } from '../../src/errors';
import { expectPlainRecord } from './plain';

const A = 'ws-a';
const B = 'ws-b';
const T0 = new Date('2024-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

let seq = 0;
/** A campaign as the service creates one (nameKey is the lower-cased name; no undefined fields). */
function aCampaign(workspaceId: string, name: string, extra: Partial<Campaign> = {}): Campaign {
  return {
    _id: `camp-${++seq}`,
    workspaceId,
    name,
    nameKey: name.toLowerCase(),
    audience: { segmentId: 'seg-1', excludeSegmentId: 'seg-2' },
    template: { source: 'Hello {{contact.name}}', file: 'welcome' },
    schedule: { kind: 'weekly', weekday: 1, time: '09:30' },
    ratePerSecond: 5,
    quietHours: { start: '22:00', end: '07:00' },
    status: 'draft',
    createdBy: 'test',
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

export function describeCampaignStoreContract(
  name: string,
  make: () => Promise<CampaignStore> | CampaignStore,
): void {
  describe(`CampaignStore contract: ${name}`, () => {
    let store: CampaignStore;
    beforeEach(async () => {
      store = await make();
    });

    test('an inserted campaign reads back equal, as a plain record, by id and by name', async () => {
      const c = aCampaign(A, 'Spring Sale', { schedule: { kind: 'at', at: at(3600) } });
      await store.insert({ ...c });
      const got = await store.get(A, c._id);
      expect(got).toEqual(c);
      expectPlainRecord(got);
      expect(await store.getByName(A, 'spring sale')).toEqual(c);
      expect(await store.getByName(A, '  SPRING SALE ')).toEqual(c);
    });

    test('missing → null; another workspace sees nothing and moves nothing', async () => {
      const c = aCampaign(A, 'Mine');
      await store.insert(c);
      expect(await store.get(A, 'nope')).toBeNull();
      expect(await store.getByName(A, 'Nope')).toBeNull();
      expect(await store.get(B, c._id)).toBeNull();
      expect(await store.getByName(B, 'Mine')).toBeNull();
      expect(await store.list(B)).toEqual([]);
      expect(await store.transition(B, c._id, ['draft'], { status: 'scheduled' })).toBeNull();
      expect(await store.transition(A, 'nope', ['draft'], { status: 'scheduled' })).toBeNull();
      expect(await store.get(A, c._id)).toEqual(c);
    });

    test('a taken name (in any case) is a ConflictError; another workspace may use it', async () => {
      const c = aCampaign(A, 'Weekly Digest');
      await store.insert(c);
      await expect(store.insert(aCampaign(A, 'WEEKLY digest'))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.list(A)).toEqual([c]);
      await store.insert(aCampaign(B, 'Weekly Digest'));
    });

    test('list gives this workspace campaigns as plain records', async () => {
      const mine = [aCampaign(A, 'One', { createdAt: at(1) }), aCampaign(A, 'Two', { createdAt: at(2) })];
      for (const c of mine) await store.insert(c);
      await store.insert(aCampaign(B, 'Elsewhere'));
      const list = await store.list(A);
      expect([...list].sort((x, y) => x.name.localeCompare(y.name))).toEqual(mine);
      list.forEach(expectPlainRecord);
    });

    test('transition applies the patch only from the given statuses and returns the campaign after it', async () => {
      const c = aCampaign(A, 'Launch');
      await store.insert(c);
      const moved = await store.transition(A, c._id, ['draft', 'paused'], {
        status: 'scheduled',
        nextRunAt: at(60),
        updatedAt: at(10),
      });
      const want: Campaign = { ...c, status: 'scheduled', nextRunAt: at(60), updatedAt: at(10) };
      expect(moved).toEqual(want);
      expectPlainRecord(moved);
      // A second start from draft finds it scheduled: refused, nothing written.
      expect(
        await store.transition(A, c._id, ['draft'], { status: 'cancelled', updatedAt: at(20) }),
      ).toBeNull();
      expect(await store.get(A, c._id)).toEqual(want);
      // Fields the patch does not name stay, including those it leaves undefined.
      const run = await store.transition(A, c._id, ['scheduled'], {
        status: 'running',
        currentRunId: 'run-1',
        nextRunAt: undefined,
      });
      expect(run).toEqual({ ...want, status: 'running', currentRunId: 'run-1' });
    });
  });
}
