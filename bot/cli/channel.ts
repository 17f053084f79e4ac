/**
 * A tiny Bot Framework channel: an HTTP endpoint on 127.0.0.1 that receives the bot's replies as
 * a real channel's connector does (`POST /v3/conversations/:id/activities[/:replyToId]`, answering
 * `{id}`), and users that send activities to the bot with `serviceUrl` pointing back at it. Used
 * by `npm run chat` and by the end-to-end tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An activity as it travels on the wire (only the fields we look at are typed). */
export interface WireActivity {
  type: string;
  id?: string;
  text?: string;
  conversation?: { id: string };
  from?: { id: string; name?: string };
  [field: string]: unknown;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export class TestChannel {
  /** Every activity the bot sent, in arrival order. */
  readonly received: WireActivity[] = [];
  private readonly listeners: ((a: WireActivity) => void)[] = [];
  private nextId = 1;
  private holdIf: ((a: WireActivity) => boolean) | undefined;

  private constructor(
    private readonly server: Server,
    readonly serviceUrl: string,
  ) {}

  /** Listens on 127.0.0.1 on an ephemeral port. */
  static async start(): Promise<TestChannel> {
    const holder: { channel?: TestChannel } = {};
    const server = createServer((req, res) => void holder.channel?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    holder.channel = new TestChannel(server, `http://127.0.0.1:${port}/`);
    return holder.channel;
  }

  onActivity(listener: (a: WireActivity) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Activities matching `pred` are recorded and then never answered, as if the connector hung:
   * crash tests kill the bot while it waits for the answer. No argument: answer everything again.
   */
  hold(pred?: (a: WireActivity) => boolean): void {
    this.holdIf = pred;
  }

  /** What arrived for one conversation, from position `from` on. */
  receivedIn(conversationId: string, from = 0): WireActivity[] {
    return this.received.slice(from).filter((a) => a.conversation?.id === conversationId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = ROUTE.exec((req.url ?? '').split('?')[0] ?? '');
    if (req.method !== 'POST' || !m)
      return answer(res, 404, { error: { code: 'NotFound', message: req.url } });
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireActivity;
      activity.conversation ??= { id: decodeURIComponent(m[1] ?? '') };
      this.received.push(activity);
      for (const l of this.listeners) l(activity);
      if (this.holdIf?.(activity)) return;
      answer(res, 200, { id: `channel-${this.nextId++}` });
    } catch {
      answer(res, 400, { error: { code: 'BadRequest', message: 'expected a JSON activity' } });
    }
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  // Not chained: restify (if loaded in this process) replaces writeHead with one returning nothing.
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface ChannelUserOptions {
  botUrl: string;
  userId: string;
  userName?: string;
  channelId?: string;
  conversationId?: string;
}

/** Someone talking to the bot through a TestChannel. */
export class ChannelUser {
  readonly conversationId: string;
  private seq = 0;

  constructor(
    private readonly channel: TestChannel,
    private readonly o: ChannelUserOptions,
  ) {
    this.conversationId = o.conversationId ?? `conv-${o.userId}-${Date.now().toString(36)}`;
  }

  /** Sends a message; resolves with the HTTP status and the replies that arrived during the turn. */
  send(text: string) {
    return this.post({ type: 'message', text });
  }

  /** The user joins the conversation (as the Emulator says on connect). */
  join() {
    return this.post({ type: 'conversationUpdate', membersAdded: [{ id: 'bot' }, this.user()] });
  }

  /** Posts any activity (fields given override the defaults); replies as for `send`. */
  async post(fields: Record<string, unknown>, raw?: string) {
    const mark = this.channel.received.length;
    const activity = {
      id: `${this.conversationId}-${++this.seq}`,
      channelId: this.o.channelId ?? 'chat-cli',
      serviceUrl: this.channel.serviceUrl,
      conversation: { id: this.conversationId },
      from: this.user(),
      recipient: { id: 'bot', name: 'Segments' },
      timestamp: new Date().toISOString(),
      ...fields,
    };
    const res = await fetch(this.o.botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(activity),
    });
    const body = await res.text();
    return { status: res.status, body, replies: this.channel.receivedIn(this.conversationId, mark) };
  }

  private user() {
    return { id: this.o.userId, name: this.o.userName ?? this.o.userId };
  }
}
