/**
 * An in-memory RoleStore that behaves like MongoRoleStore (test/contracts/roles.test.ts runs the
 * same contract on both): grants per workspace, channel and user; a grant on ANY_CHANNEL holds on
 * every channel; granting twice is one grant. The handoff tests' FakeRoles is this store.
 */
import type { Role, RoleStore } from '../../bot/contracts';
import { ANY_CHANNEL } from '../../src/infra/repos/conversationRefs';

interface Grant {
  workspaceId: string;
  channelId: string;
  userId: string;
  role: Role;
}

export class MemoryRoleStore implements RoleStore {
  private readonly grants = new Map<string, Grant>();

  async rolesOf(ws: string, channelId: string, userId: string): Promise<Role[]> {
    const roles = [...this.grants.values()]
      .filter((g) => g.workspaceId === ws && g.userId === userId)
      .filter((g) => g.channelId === channelId || g.channelId === ANY_CHANNEL)
      .map((g) => g.role);
    return [...new Set(roles)];
  }

  async grant(ws: string, channelId: string, userId: string, role: Role): Promise<void> {
    this.add(ws, channelId, userId, role);
  }

  async holders(ws: string, role: Role): Promise<{ channelId: string; userId: string }[]> {
    return [...this.grants.values()]
      .filter((g) => g.workspaceId === ws && g.role === role)
      .map((g) => ({ channelId: g.channelId, userId: g.userId }));
  }

  /** `grant`, synchronously (for a constructor to seed grants). */
  protected add(workspaceId: string, channelId: string, userId: string, role: Role): void {
    this.grants.set(JSON.stringify([workspaceId, channelId, userId, role]), {
      workspaceId,
      channelId,
      userId,
      role,
    });
  }
}
