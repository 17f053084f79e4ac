/**
 * What WorkspaceService relies on from a WorkspaceRepo: the id is the key (a second insert of it
 * is refused with false and leaves the first untouched), missing → null, and plain records back.
 * Workspaces are the tenants themselves, so this is the one repository not scoped by one.
 */
import type { Workspace, WorkspaceRepo } from '../../src/domain/workspaces/workspaces';
import { expectPlainRecord } from './plain';

const T0 = new Date('2024-03-01T10:00:00.000Z');

export function describeWorkspaceRepoContract(
  name: string,
  make: () => Promise<WorkspaceRepo> | WorkspaceRepo,
): void {
  describe(`WorkspaceRepo contract: ${name}`, () => {
    let repo: WorkspaceRepo;
    beforeEach(async () => {
      repo = await make();
    });

    test('an inserted workspace reads back equal, as a plain record', async () => {
      const w: Workspace = { _id: 'acme', name: 'Acme Ltd', createdAt: T0 };
      expect(await repo.insert({ ...w })).toBe(true);
      const got = await repo.get('acme');
      expect(got).toEqual(w);
      expectPlainRecord(got);
    });

    test('missing → null; an empty store lists nothing', async () => {
      expect(await repo.get('nope')).toBeNull();
      expect(await repo.list()).toEqual([]);
    });

    test('a taken id is refused with false and the first workspace stays as it was', async () => {
      const w: Workspace = { _id: 'acme', name: 'First', createdAt: T0 };
      await repo.insert(w);
      expect(await repo.insert({ _id: 'acme', name: 'Second', createdAt: new Date() })).toBe(false);
      expect(await repo.get('acme')).toEqual(w);
      expect(await repo.list()).toEqual([w]);
    });

    test('ids are exact: another case is another workspace', async () => {
      await repo.insert({ _id: 'acme', name: 'lower', createdAt: T0 });
      expect(await repo.get('ACME')).toBeNull();
      expect(await repo.insert({ _id: 'ACME', name: 'upper', createdAt: T0 })).toBe(true);
      expect((await repo.get('ACME'))?.name).toBe('upper');
    });

    // The port promises no order (MongoDB's is by id): only the set is the contract.
    test('list gives every workspace, as plain records', async () => {
      for (const id of ['zeta', 'alpha', 'mid']) await repo.insert({ _id: id, name: id, createdAt: T0 });
      const list = await repo.list();
      expect(list.map((w) => w._id).sort()).toEqual(['alpha', 'mid', 'zeta']);
      list.forEach(expectPlainRecord);
    });
  });
}
