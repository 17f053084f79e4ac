/**
 * `npm run workspace -- <command>`: workspaces and API keys from a terminal, on the database of
 * a running `npm start` (or the chain's). A new key is printed once; only its hash is stored.
 *   create <id> [name]   a workspace and its first key
 *   key <id> [name]      another key for it
 *   keys <id>            its keys (no secrets)
 *   revoke <id> <keyId>  the key stops working at once
 *   list                 every workspace
 */
import { createCoreServices } from '../compose/core';
import { loadProcessConfig } from '../config';
import { AppError } from '../errors';
import { provideDatabase } from '../infra/db/chain';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';

const USAGE = `usage: npm run workspace -- create <id> [name] | key <id> [name] | keys <id> | revoke <id> <keyId> | list`;

async function main(argv: string[]): Promise<void> {
  const [command, id, extra] = argv;
  if (
    !command ||
    !['create', 'key', 'keys', 'revoke', 'list'].includes(command) ||
    (command !== 'list' && !id)
  ) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadProcessConfig();
  const log = createLogger({ ...config, logLevel: 'warn' });
  const provided = await provideDatabase(config, { purpose: 'start', log, shareRunning: true });
  const conn = await connectMongo(provided.uri, config.dbName, log);
  try {
    const { workspaces } = await createCoreServices(conn.db!, {
      listener: { contactChanged: async () => {} },
    });
    if (command === 'create') {
      const { workspace, key } = await workspaces.create(id, extra);
      console.log(`workspace ${workspace._id} created; its key (shown once, keep it safe):\n${key.key}`);
    } else if (command === 'key') {
      const key = await workspaces.addKey(id!, extra);
      console.log(`key ${key.id} for ${key.workspaceId} (shown once, keep it safe):\n${key.key}`);
    } else if (command === 'keys') {
      for (const k of await workspaces.keysOf(id!))
        console.log(
          `${k._id}  ${k.name}  created ${k.createdAt.toISOString()}${k.revokedAt ? `  REVOKED ${k.revokedAt.toISOString()}` : ''}`,
        );
    } else if (command === 'revoke') {
      if (!extra) throw new AppError('USAGE', 2, USAGE);
      await workspaces.revoke(id!, extra);
      console.log(`key ${extra} of ${id} revoked`);
    } else {
      for (const w of await workspaces.list()) console.log(`${w._id}  ${w.name}`);
    }
  } finally {
    await conn.close();
    await provided.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`workspace: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
