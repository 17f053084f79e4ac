/**
 * `npm run chat -- [--user NAME] [--admin] [--url URL]`: talk to the running bot from a terminal.
 * It speaks the Bot Framework protocol as a channel does: it runs a small endpoint on 127.0.0.1
 * for the bot's replies (TestChannel) and posts each typed line as a `message` activity whose
 * `serviceUrl` points at that endpoint. `--admin` talks as `chat-admin` (make it an admin with
 * BOT_ADMINS=chat-admin). Type /quit or press Ctrl-D to leave. Without `--url` it talks to the
 * server `npm start` runs with the same settings: HOST and PORT from the environment or `.env`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadProcessConfig, localUrl } from '../../src/config';
import { ChannelUser, TestChannel } from './channel';

/** Where `npm start` with the same settings answers. */
const defaultUrl = (): string => `${localUrl(loadProcessConfig())}api/messages`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      user: { type: 'string' },
      admin: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  const url = values.url ?? defaultUrl();
  const name = values.user ?? (values.admin ? 'Chat Admin' : 'Chat User');
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'user';
  const userId = values.admin ? 'chat-admin' : values.user ? `chat-${slug}` : 'chat-user';
  const channel = await TestChannel.start();
  channel.onActivity((a) => {
    if (a.type === 'message') process.stdout.write(`\nbot> ${(a.text ?? '').replace(/\n/g, '\n     ')}\n`);
  });
  const user = new ChannelUser(channel, { botUrl: url, userId, userName: name });
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    rl.close();
    await channel.close();
    process.exit(code);
  };
  process.stdout.write(`Talking to ${url} as ${name} (user id ${userId}). /quit to leave.\n`);
  const attempt = async (turn: () => Promise<{ status: number; body: string }>) => {
    try {
      const r = await turn();
      if (r.status >= 400) process.stdout.write(`(the bot answered HTTP ${r.status}: ${r.body})\n`);
    } catch (err) {
      const why =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      process.stdout.write(`Could not reach the bot at ${url} (${why}). Is \`npm start\` running?\n`);
    }
  };
  // Lines are handled one after another, in order, even when pasted or piped in all at once.
  let turns = attempt(() => user.join()).then(() => rl.prompt());
  const next = (step: () => Promise<void>) => void (turns = turns.then(step));
  rl.on('line', (line) => {
    const text = line.trim();
    if (text === '/quit') return next(() => stop(0));
    next(async () => {
      if (text) await attempt(() => user.send(text));
      rl.prompt();
    });
  });
  rl.on('close', () => next(() => stop(0)));
}

void main().catch((err: unknown) => {
  process.stderr.write(`chat: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
