/**
 * A real embedded database under the conditions of normal work — a client whose connection is
 * reset (as when a process is killed) and commands it refuses — logs no warning and no stack
 * trace; the records it does write are single debug lines.
 */
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../../src/config';
import { startJavaServer } from '../../../src/infra/db/javaServer';
import { waitUntil } from '../../support/processes';

jest.setTimeout(120_000);

test('client resets and refused commands: debug lines only, no stack traces', async () => {
  const records: { level: string; msg: string; obj: object }[] = [];
  const { projectRoot } = loadConfig({});
  const server = await startJavaServer({
    projectRoot,
    cacheDir: `${projectRoot}/.cache`,
    heap: '128m',
    log: {
      warn: (obj: object, msg: string) => records.push({ level: 'warn', msg, obj }),
      debug: (obj: object, msg: string) => records.push({ level: 'debug', msg, obj }),
    },
  });
  try {
    const client = await MongoClient.connect(server.uri);
    try {
      await expect(client.db('quiet').command({ noSuchCommand: 1 })).rejects.toThrow(/no such command/);
      const col = client.db('quiet').collection('c');
      await col.insertOne({ a: 1 });
      await expect(col.find({ $where: 'true' }).toArray()).rejects.toThrow(/\$where/);
    } finally {
      await client.close();
    }
    // A peer that resets its connection while the server reads from it.
    const [host, port] = server.uri
      .replace(/^mongodb:\/\//, '')
      .replace(/\/$/, '')
      .split(':');
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(port), host, () => {
          s.write(Buffer.from([0x40, 0, 0, 0]));
          setTimeout(() => {
            s.resetAndDestroy();
            resolve();
          }, 50);
        });
      });
    }
    expect(
      await waitUntil(
        () => records.filter((r) => /client disconnected/.test(JSON.stringify(r.obj))).length >= 3,
        10_000,
      ),
    ).toBe(true);
  } finally {
    await server.stop();
  }
  expect(records.filter((r) => r.level === 'warn')).toEqual([]);
  expect(JSON.stringify(records)).not.toMatch(/\\tat |\tat /);
  expect(records.length).toBeGreaterThanOrEqual(5);
});
