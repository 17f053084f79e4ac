/**
 * The chat suite's server: `node dist/src/main.js` as a child process on the run's embedded
 * database (its own database name), a TestChannel on 127.0.0.1 receiving the bot's replies, people
 * who talk to it, and the REST API to check what each command changed. Every command sent is
 * recorded with how it was checked (ran, or refused with its usage), so the suite can prove that
 * every command `/help` lists has cases.
 */

import { ChannelUser, TestChannel, type WireActivity } from '../../../bot/cli/channel';
import { openTestDb, testServerUri, type TestDb } from '../../support/db';
import { eventually } from '../../support/flowWait';
import { startMain, type Started } from '../../support/processes';

export const KEY = 'test-admin-key-0123456789';
/** Role holders, as BOT_ADMINS and BOT_AGENTS name them (bare ids: the local channels). */
export const ADMIN_ID = 'admin-ada';
export const AGENT_ID = 'agent-amy';

export interface Reply {
  status: number;
  /** The texts of the message activities the bot sent during the turn, in order. */
  texts: string[];
  /** Everything it sent during the turn (events, attachments). */
  activities: WireActivity[];
}

export type Check = 'ran' | 'usage';
/** A JSON object from the API with its id (the rest is checked by the tests). */
export type Row = { _id: string } & Record<string, unknown>;

export class ChatServer {
  /** Every command (slash text, or a customer's help word) sent, with how it was checked. */
  readonly sent: { text: string; check: Check }[] = [];
  /** The /help replies of each role, for the coverage check. */
  readonly helps: string[] = [];
  private readonly people = new Map<string, ChannelUser>();

  private constructor(
    readonly proc: Started,
    readonly channel: TestChannel,
    private readonly tdb: TestDb,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ChatServer> {
    const tdb = await openTestDb('chat');
    const channel = await TestChannel.start();
    const proc = await startMain({
      MONGODB_URI: testServerUri(),
      DB_NAME: tdb.dbName,
      PORT: '0',
      ADMIN_API_KEY: KEY,
      BOT_ADMINS: ADMIN_ID,
      BOT_AGENTS: AGENT_ID,
      // No app id here (loopback only): roles are honoured because the operator says so.
      BOT_ALLOW_UNAUTHENTICATED_ADMINS: 'true',
      AGENDA_PROCESS_EVERY_MS: '100',
      LOG_LEVEL: 'debug',
      ...env,
    }).catch(async (err: unknown) => {
      await channel.close();
      await tdb.close();
      throw err;
    });
    return new ChatServer(proc, channel, tdb);
  }

  async stop(): Promise<void> {
    this.proc.child.kill('SIGTERM');
    await this.proc.exited;
    await this.channel.close();
    await this.tdb.close();
  }

  /** The same person every time for one user id (one conversation). */
  user(userId: string, userName: string): ChannelUser {
    let u = this.people.get(userId);
    if (!u) {
      u = new ChannelUser(this.channel, {
        botUrl: `http://127.0.0.1:${this.proc.port}/api/messages`,
        userId,
        userName,
      });
      this.people.set(userId, u);
    }
    return u;
  }

  /** Sends a message and collects what the bot said in that turn. */
  async say(u: ChannelUser, text: string): Promise<Reply> {
    return replyOf(await u.send(text));
  }

  /** A command that should work: sent, recorded as ran; the caller asserts the reply. */
  async run(u: ChannelUser, text: string): Promise<Reply> {
    this.sent.push({ text, check: 'ran' });
    return this.say(u, text);
  }

  /**
   * Bad input: the reply is the usage (matching `usage`), and `state()` reads the same before and
   * after, so nothing changed.
   */
  async usage(u: ChannelUser, text: string, usage: RegExp, state: () => Promise<unknown>): Promise<Reply> {
    this.sent.push({ text, check: 'usage' });
    const before = await state();
    const r = await this.say(u, text);
    expect(r.texts).toEqual([expect.stringMatching(usage)]);
    expect(await state()).toEqual(before);
    return r;
  }

  /** Texts that reached a person's conversation from position `from` of the channel on. */
  inbox(u: ChannelUser, from: number): string[] {
    return this.channel.receivedIn(u.conversationId, from).map((a) => a.text ?? `[${a.type}]`);
  }

  /** Waits until a person has received a text matching `re` after `from`; returns it. */
  async received(u: ChannelUser, from: number, re: RegExp, timeoutMs = 10_000): Promise<string> {
    const got = await eventually(
      () => this.inbox(u, from).find((t) => re.test(t)),
      (t) => t !== undefined,
      timeoutMs,
    );
    if (got === undefined)
      throw new Error(
        `no message matching ${re} for ${u.conversationId}:\n${this.inbox(u, from).join('\n')}`,
      );
    return got;
  }

  get mark(): number {
    return this.channel.received.length;
  }

  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`http://127.0.0.1:${this.proc.port}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async get(path: string): Promise<any> {
    const r = await this.api('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** A contact by the name the channel gave it. */
  async contact(name: string): Promise<Row> {
    const items = (await this.get('/contacts?limit=200')).items as Row[];
    const c = items.find((x) => x.name === name);
    if (!c) throw new Error(`no contact named ${name}`);
    return c;
  }

  async segmentByName(name: string): Promise<Row | undefined> {
    return ((await this.get('/segments')).items as Row[]).find((s) => s.name === name);
  }
}

function replyOf(r: { status: number; replies: WireActivity[] }): Reply {
  return {
    status: r.status,
    activities: r.replies,
    texts: r.replies.filter((a) => a.type === 'message').map((a) => a.text ?? ''),
  };
}
