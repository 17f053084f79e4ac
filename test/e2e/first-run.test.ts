/**
 * The first run, as a newcomer meets it, on real `node dist/src/main.js` processes: an empty
 * DATA_DIR gets the workspace and a sign-in key (a 0600 file, printed once, accepted by the
 * API); the next start prints only where the key is; with ADMIN_API_KEY no key is made. `.env` in
 * the working directory fills in what the real environment leaves unset, and `npm run chat`
 * talks to the PORT it is given.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startTestApp, stopTestApp } from '../support/app';
import { testServerUri } from '../support/db';
import { NEUTRAL_CWD, startMain, waitUntil, type Started } from '../support/processes';

jest.setTimeout(120_000);

const KEY = /sgk_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/g;
const CHAT = path.resolve(__dirname, '../../dist/bot/cli/chat.js');

const dirs: string[] = [];
const dbNames: string[] = [];
const running: Started[] = [];
let client: MongoClient;

beforeAll(async () => {
  client = await MongoClient.connect(testServerUri());
});
afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const n of dbNames) await client.db(n).dropDatabase();
  await client.close();
});

const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-first-run-'));
  dirs.push(d);
  return d;
};
const dbName = () => {
  const n = `first_run_${randomBytes(4).toString('hex')}`;
  dbNames.push(n);
  return n;
};

/** main.js on the shared test server with `env`; resolves once it has said how to sign in. */
async function start(env: Record<string, string>, cwd?: string): Promise<Started> {
  const s = await startMain(
    { MONGODB_URI: testServerUri(), FLOWS_BUILT_IN: 'false', SHUTDOWN_TIMEOUT_MS: '5000', ...env },
    60_000,
    cwd,
  );
  running.push(s);
  // The sign-in message comes right after the "listening" line; it ends with a rule.
  expect(await waitUntil(() => /Segments is running[\s\S]*\n-{72}\n/.test(s.output()), 20_000)).toBe(true);
  return s;
}

async function stop(s: Started): Promise<void> {
  s.child.kill('SIGTERM');
  expect(await s.exited).toBe(0);
}

const api = (port: number, key: string, method = 'GET', route = '/segments', body?: unknown) =>
  fetch(`http://127.0.0.1:${port}/api/v1${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

test('an empty DATA_DIR: the key is made, saved 0600, printed once and works; the next start prints only the path', async () => {
  const dataDir = tempDir();
  const env = { DB_NAME: dbName(), DATA_DIR: dataDir, PORT: '0' };
  const first = await start(env);
  const keys = first.output().match(KEY) ?? [];
  expect(keys).toHaveLength(1);
  const key = keys[0]!;
  const file = path.join(dataDir, 'admin-key.txt');
  expect(first.output()).toContain(file);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(file, 'utf8').trim()).toBe(key);

  expect((await api(first.port, key)).status).toBe(200);
  const created = await api(first.port, key, 'POST', '/segments', { name: 'First', rule: 'tag = "vip"' });
  expect(created.status).toBe(201);
  expect((await api(first.port, `${key.slice(0, -1)}x`)).status).toBe(401);
  await stop(first);

  const second = await start(env);
  expect(second.output()).not.toMatch(KEY);
  expect(second.output()).toContain(`Sign in with the key in ${file}`);
  expect(fs.readFileSync(file, 'utf8').trim()).toBe(key);
  expect(await (await api(second.port, key)).text()).toContain('"First"');
  await stop(second);
});

test('with ADMIN_API_KEY configured no key is made, and the message says so', async () => {
  const dataDir = tempDir();
  const s = await start({
    DB_NAME: dbName(),
    DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_API_KEY: 'configured-admin-key-0123',
  });
  expect(s.output()).toContain('Sign in with ADMIN_API_KEY');
  expect(s.output()).not.toMatch(KEY);
  expect(fs.existsSync(path.join(dataDir, 'admin-key.txt'))).toBe(false);
  expect((await api(s.port, 'configured-admin-key-0123')).status).toBe(200);
  await stop(s);
});

test('.env in the working directory fills in unset variables; the real environment wins', async () => {
  const cwd = tempDir();
  const dataDir = tempDir();
  const port = await freePort();
  const fromFile = dbName();
  const real = dbName();
  fs.writeFileSync(
    path.join(cwd, '.env'),
    `# written by the test\nPORT=${port}\nDATA_DIR="${dataDir}"\nDB_NAME=${fromFile}\n`,
  );
  const s = await start({ DB_NAME: real }, cwd);
  expect(s.port).toBe(port);
  expect(fs.existsSync(path.join(dataDir, 'admin-key.txt'))).toBe(true);
  // The workspace was made in the database the real environment named, not the file's.
  expect(
    await client
      .db(real)
      .collection('workspaces')
      .countDocuments({ _id: 'default' as never }),
  ).toBe(1);
  expect(await client.db(fromFile).listCollections().toArray()).toEqual([]);
  await stop(s);
});

describe('npm run chat talks to the PORT it is given', () => {
  test.each(['the environment', '.env'])('PORT from %s', async (where) => {
    const app = await startTestApp('chatport');
    try {
      const cwd = where === '.env' ? tempDir() : NEUTRAL_CWD;
      if (where === '.env') fs.writeFileSync(path.join(cwd, '.env'), `PORT=${app.port}\n`);
      const out = await chat(cwd, where === '.env' ? {} : { PORT: String(app.port) });
      expect(out).toContain(`Talking to http://127.0.0.1:${app.port}/api/messages`);
      expect(out).toMatch(/\nbot> \S/);
      expect(out).not.toContain('Could not reach the bot');
    } finally {
      await stopTestApp(app);
    }
  });
});

/** Runs the chat client, waits for the bot's first reply, then leaves; returns what it printed. */
function chat(cwd: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [CHAT], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return (async () => {
    await waitUntil(() => out.includes('bot> ') || out.includes('Could not reach'), 30_000);
    child.stdin.end('/quit\n');
    await exited;
    return out;
  })();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
