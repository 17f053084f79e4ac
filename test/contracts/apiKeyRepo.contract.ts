/**
 * What ApiKeyService (src/domain/workspaces/apiKeys.ts) relies on from an ApiKeyRepo: a key is
 * found by its hash only in its own workspace and only until it is revoked (revocation is final
 * and immediate: a Direct Line token dies with its key), listings never carry the hash, and a
 * revoke from another workspace changes nothing.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRepo } from '../../src/domain/workspaces/apiKeys';
import { expectPlainRecord } from './plain';

const A = 'ws-a';
const B = 'ws-b';
const T0 = new Date('2024-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');

export function describeApiKeyRepoContract(name: string, make: () => Promise<ApiKeyRepo> | ApiKeyRepo): void {
  describe(`ApiKeyRepo contract: ${name}`, () => {
    let repo: ApiKeyRepo;
    beforeEach(async () => {
      repo = await make();
    });
    /** A record as the service makes one (no revokedAt field at all). */
    const aKey = (workspaceId: string, label: string, createdAt = T0): ApiKeyRecord => ({
      _id: repo.newId(),
      workspaceId,
      name: label,
      hash: hashOf(`${workspaceId}/${label}`),
      createdAt,
    });

    test('newId gives a new string each time', () => {
      const ids = new Set(Array.from({ length: 20 }, () => repo.newId()));
      expect(ids.size).toBe(20);
      for (const id of ids) expect(typeof id).toBe('string');
    });

    test('an inserted key is found by its hash in its workspace, as a plain record', async () => {
      const k = aKey(A, 'ci');
      await repo.insert({ ...k });
      const got = await repo.findByHash(A, k.hash);
      expect(got).toEqual(k);
      expectPlainRecord(got);
    });

    test('unknown hash → null; a key is invisible from another workspace', async () => {
      const k = aKey(A, 'ci');
      await repo.insert(k);
      expect(await repo.findByHash(A, hashOf('nope'))).toBeNull();
      expect(await repo.findByHash(B, k.hash)).toBeNull();
      expect(await repo.list(B)).toEqual([]);
    });

    test('list gives this workspace keys without their hash', async () => {
      const k1 = aKey(A, 'one', at(1));
      const k2 = aKey(A, 'two', at(2));
      await repo.insert(k1);
      await repo.insert(k2);
      await repo.insert(aKey(B, 'other'));
      const list = await repo.list(A);
      expect([...list].sort((x, y) => x.name.localeCompare(y.name))).toEqual([
        { _id: k1._id, workspaceId: A, name: 'one', createdAt: at(1) },
        { _id: k2._id, workspaceId: A, name: 'two', createdAt: at(2) },
      ]);
      for (const info of list) {
        expect(info).not.toHaveProperty('hash');
        expectPlainRecord(info);
      }
    });

    test('a revoked key is not found any more, stays listed with revokedAt, and is revoked once', async () => {
      const k = aKey(A, 'leaked');
      const keep = aKey(A, 'keep');
      await repo.insert(k);
      await repo.insert(keep);
      expect(await repo.revoke(A, k._id, at(60))).toBe(true);
      expect(await repo.findByHash(A, k.hash)).toBeNull();
      expect(await repo.findByHash(A, keep.hash)).toEqual(keep);
      const listed = (await repo.list(A)).find((i) => i._id === k._id);
      expect(listed?.revokedAt).toEqual(at(60));
      // Revoked already: false, and the first revocation time stays.
      expect(await repo.revoke(A, k._id, at(120))).toBe(false);
      expect((await repo.list(A)).find((i) => i._id === k._id)?.revokedAt).toEqual(at(60));
    });

    test('revoke from another workspace, or of an unknown id, is false and changes nothing', async () => {
      const k = aKey(A, 'ci');
      await repo.insert(k);
      expect(await repo.revoke(B, k._id, at(5))).toBe(false);
      expect(await repo.revoke(A, 'no-such-key', at(5))).toBe(false);
      expect(await repo.findByHash(A, k.hash)).toEqual(k);
      expect((await repo.list(A))[0]?.revokedAt ?? null).toBeNull();
    });
  });
}
