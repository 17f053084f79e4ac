/**
 * Roles per workspace (`bot_roles`), and the start-up grants from config. A role held on
 * ANY_CHANNEL (`*`) applies on every channel (grants made so before); a bare user id in config
 * now means that user on the local channels only (the Emulator and `npm run chat`), because on
 * a real channel anyone may pick any user id they like.
 */
import type { Collection, Db } from 'mongodb';
import { ANY_CHANNEL } from '../src/infra/repos/conversationRefs';
import type { Role, RoleStore } from './contracts';

interface RoleDoc {
  _id: string;
  workspaceId: string;
  channelId: string;
  userId: string;
  role: Role;
}

export class MongoRoleStore implements RoleStore {
  private readonly col: Collection<RoleDoc>;
  constructor(db: Db) {
    this.col = db.collection<RoleDoc>('bot_roles');
  }

  async ensureIndexes(): Promise<void> {
    await this.col.createIndex({ workspaceId: 1, userId: 1 });
    await this.col.createIndex({ workspaceId: 1, role: 1 });
  }

  async rolesOf(workspaceId: string, channelId: string, userId: string): Promise<Role[]> {
    const docs = await this.col
      .find({ workspaceId, userId, channelId: { $in: [channelId, ANY_CHANNEL] } })
      .toArray();
    return [...new Set(docs.map((d) => d.role))];
  }

  /** Idempotent: the `_id` is the grant itself. */
  async grant(workspaceId: string, channelId: string, userId: string, role: Role): Promise<void> {
    const _id = JSON.stringify([workspaceId, channelId, userId, role]);
    await this.col.replaceOne({ _id }, { workspaceId, channelId, userId, role }, { upsert: true });
  }

  async holders(workspaceId: string, role: Role): Promise<{ channelId: string; userId: string }[]> {
    const docs = await this.col.find({ workspaceId, role }).toArray();
    return docs.map((d) => ({ channelId: d.channelId, userId: d.userId }));
  }
}

/**
 * `channelId:userId` or a bare `userId`. Only a prefix that looks like a channel id (a letter
 * first) counts as one, because user ids themselves contain colons on some channels (Teams:
 * `29:1a2b…`).
 */
export function parseRoleEntry(entry: string): { channelId: string; userId: string }[] {
  const m = /^([A-Za-z][\w-]*):(.+)$/.exec(entry);
  if (m?.[1] && m[2]) return [{ channelId: m[1], userId: m[2] }];
  return LOCAL_CHANNELS.map((channelId) => ({ channelId, userId: entry }));
}

/** Where a bare user id in BOT_ADMINS / BOT_AGENTS applies. */
export const LOCAL_CHANNELS = ['emulator', 'chat-cli'] as const;

/**
 * Without bot authentication anyone can post an activity as any user: then no one holds a role
 * unless the operator explicitly allows it (and the route only accepts loopback serviceUrls).
 */
export function gateRoles(
  roles: RoleStore,
  authenticated: boolean,
  allowUnauthenticated: boolean,
): RoleStore {
  if (authenticated || allowUnauthenticated) return roles;
  return {
    rolesOf: () => Promise.resolve([]),
    grant: (ws, channelId, userId, role) => roles.grant(ws, channelId, userId, role),
    holders: (ws, role) => roles.holders(ws, role),
  };
}

/** Grants the roles config names (BOT_ADMINS, BOT_AGENTS); grants made in chat stay. */
export async function grantConfiguredRoles(
  roles: RoleStore,
  workspaceId: string,
  configured: { admins: readonly string[]; agents: readonly string[] },
): Promise<void> {
  const grants = [
    ...configured.admins.flatMap((e) => parseRoleEntry(e).map((g) => ({ ...g, role: 'admin' as const }))),
    ...configured.agents.flatMap((e) => parseRoleEntry(e).map((g) => ({ ...g, role: 'agent' as const }))),
  ];
  for (const g of grants) await roles.grant(workspaceId, g.channelId, g.userId, g.role);
}
