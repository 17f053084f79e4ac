/**
 * What the bot relies on from a RoleStore (bot/contracts.ts): the turn pipeline asks `rolesOf`
 * for the caller, the handoff asks `holders` for every agent to notify, and config and `/grant`
 * call `grant`. A grant on ANY_CHANNEL (`*`) holds on every channel; everything is per workspace.
 */
import type { RoleStore } from '../../bot/contracts';
import { ANY_CHANNEL } from '../../src/infra/repos/conversationRefs';

const A = 'ws-a';
const B = 'ws-b';

const sortHolders = (hs: { channelId: string; userId: string }[]) =>
  [...hs].sort((x, y) => `${x.channelId}\u0000${x.userId}`.localeCompare(`${y.channelId}\u0000${y.userId}`));

export function describeRoleStoreContract(name: string, make: () => Promise<RoleStore> | RoleStore): void {
  describe(`RoleStore contract: ${name}`, () => {
    let roles: RoleStore;
    beforeEach(async () => {
      roles = await make();
    });

    test('nobody holds a role until granted one', async () => {
      expect(await roles.rolesOf(A, 'teams', 'u1')).toEqual([]);
      expect(await roles.holders(A, 'agent')).toEqual([]);
      expect(await roles.holders(A, 'admin')).toEqual([]);
    });

    test('a grant holds for that workspace, channel and user only', async () => {
      await roles.grant(A, 'teams', 'u1', 'agent');
      expect(await roles.rolesOf(A, 'teams', 'u1')).toEqual(['agent']);
      expect(await roles.rolesOf(A, 'slack', 'u1')).toEqual([]); // another channel
      expect(await roles.rolesOf(A, 'teams', 'u2')).toEqual([]); // another user
      expect(await roles.rolesOf(B, 'teams', 'u1')).toEqual([]); // another workspace
      expect(await roles.holders(B, 'agent')).toEqual([]);
    });

    test('a grant on ANY_CHANNEL holds on every channel of its workspace', async () => {
      await roles.grant(A, ANY_CHANNEL, 'boss', 'admin');
      expect(await roles.rolesOf(A, 'teams', 'boss')).toEqual(['admin']);
      expect(await roles.rolesOf(A, 'emulator', 'boss')).toEqual(['admin']);
      expect(await roles.rolesOf(B, 'teams', 'boss')).toEqual([]);
      expect(await roles.holders(A, 'admin')).toEqual([{ channelId: ANY_CHANNEL, userId: 'boss' }]);
    });

    test('grants are idempotent: granting twice lists the role and the holder once', async () => {
      await roles.grant(A, 'teams', 'u1', 'agent');
      await roles.grant(A, 'teams', 'u1', 'agent');
      await roles.grant(A, ANY_CHANNEL, 'u1', 'agent');
      expect(await roles.rolesOf(A, 'teams', 'u1')).toEqual(['agent']);
      expect(sortHolders(await roles.holders(A, 'agent'))).toEqual([
        { channelId: ANY_CHANNEL, userId: 'u1' },
        { channelId: 'teams', userId: 'u1' },
      ]);
    });

    test('one user may hold both roles', async () => {
      await roles.grant(A, 'teams', 'u1', 'agent');
      await roles.grant(A, ANY_CHANNEL, 'u1', 'admin');
      expect([...(await roles.rolesOf(A, 'teams', 'u1'))].sort()).toEqual(['admin', 'agent']);
      expect(await roles.rolesOf(A, 'slack', 'u1')).toEqual(['admin']);
    });

    test('holders lists exactly the users granted that role in that workspace, as plain pairs', async () => {
      await roles.grant(A, 'teams', 'u1', 'agent');
      await roles.grant(A, 'slack', 'u2', 'agent');
      await roles.grant(A, 'teams', 'u3', 'admin');
      await roles.grant(B, 'teams', 'u4', 'agent');
      const holders = await roles.holders(A, 'agent');
      expect(sortHolders(holders)).toEqual([
        { channelId: 'slack', userId: 'u2' },
        { channelId: 'teams', userId: 'u1' },
      ]);
      for (const h of holders) expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
      expect(await roles.holders(B, 'agent')).toEqual([{ channelId: 'teams', userId: 'u4' }]);
    });
  });
}
