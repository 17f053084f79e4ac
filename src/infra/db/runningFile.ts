/**
 * `npm start` records the address of the database server it started in DATA_DIR, so a second
 * process (the seed script) can use that server instead of starting its own on the same files —
 * which the H2 file's lock and mongod's data directory lock would refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';

/** Which step of the database chain provided the database. */
export type Engine = 'uri' | 'memory-server' | 'java-server';

const FILE = 'database.json';

export function recordRunning(dataDir: string, engine: Engine, uri: string): () => void {
  const file = path.join(dataDir, FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  // 0600: the file says where the database listens; only this user needs to read it.
  fs.writeFileSync(file, JSON.stringify({ engine, uri, pid: process.pid }), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return () => fs.rmSync(file, { force: true });
}

/** The server a running `npm start` uses, if there is one and it answers. */
export async function findRunning(dataDir: string): Promise<{ engine: Engine; uri: string } | undefined> {
  let recorded: { engine: Engine; uri: string };
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as {
      engine: Engine;
      uri: string;
    };
  } catch {
    return undefined;
  }
  const client = new MongoClient(recorded.uri, { serverSelectionTimeoutMS: 1500 });
  try {
    await client.db('admin').command({ ping: 1 });
    return recorded;
  } catch {
    return undefined; // left behind by a process that was killed
  } finally {
    await client.close();
  }
}
