/** Small pure parts: role entries from config, error replies, the proactive sender's outcomes. */
import type { ConversationReference } from 'botbuilder';
import { APOLOGY, NotAllowedError, replyFor, UsageError } from '../../../bot/errors';
import { BotProactiveSender } from '../../../bot/proactive';
import { parseRoleEntry } from '../../../bot/roles';
import { ConflictError, NotFoundError } from '../../../src/errors';
import { parseRule, RuleSyntaxError } from '../../../src/rules';
import { contact, silentLog } from './harness';

// A bare id is the user on the local channels only: on a real channel anyone can claim any id.
const local = (userId: string) => [
  { channelId: 'emulator', userId },
  { channelId: 'chat-cli', userId },
];
test.each([
  ['chat-admin', local('chat-admin')],
  ['emulator:abc', [{ channelId: 'emulator', userId: 'abc' }]],
  ['msteams:29:1a2b', [{ channelId: 'msteams', userId: '29:1a2b' }]],
  ['29:1a2b', local('29:1a2b')],
])('role entry %j', (entry, expected) => expect(parseRoleEntry(entry)).toEqual(expected));

const syntax = (() => {
  try {
    parseRule('leadScore >');
  } catch (e) {
    return e as RuleSyntaxError;
  }
  throw new Error('expected a syntax error');
})();

test.each([
  [new NotAllowedError('admin'), /^Sorry, that command is only for admins/, true],
  [new UsageError('Which segment?', 'Usage: /segment show <name>'), /^Which segment\?\nUsage: /, true],
  [syntax, /^I couldn't read that rule: line 1, column 12: .*\nExpected .*\nA valid rule looks like/, true],
  [new NotFoundError('segment', '"X"'), /^Segment "X" was not found$/, true],
  [new ConflictError('A segment named "X" already exists'), /^A segment named/, true],
  [new Error('secret internals'), new RegExp(`^${APOLOGY}$`), false],
])('reply for %s', (err, text, expected) => {
  const r = replyFor(err);
  expect(r.text).toMatch(text);
  expect(r.expected).toBe(expected);
});

test('the proactive sender: opted out, no reference, sent, failed', async () => {
  const ref: Partial<ConversationReference> = {
    conversation: { id: 'c' } as ConversationReference['conversation'],
  };
  const people = { in: contact({ _id: 'in' }), out: contact({ _id: 'out', optedOut: true }) };
  const continueConversationAsync = jest.fn(async () => undefined);
  const sender = new BotProactiveSender({
    adapter: { continueConversationAsync },
    appId: '',
    contacts: {
      findById: async (_ws, id) => people[id as keyof typeof people] ?? null,
      findByIdentity: async () => null,
    },
    refs: {
      forContact: async (_ws, id) => (id === 'in' || id === 'out' ? ref : null),
      forUser: async () => null,
    },
    log: silentLog(),
  });
  expect(await sender.toContact('ws', 'out', 'hi')).toBe('opted-out');
  expect(await sender.toContact('ws', 'nobody', 'hi')).toBe('no-reference');
  expect(await sender.toUser('ws', 'test', 'agent', 'hi')).toBe('no-reference');
  expect(continueConversationAsync).not.toHaveBeenCalled();
  expect(await sender.toContact('ws', 'out', 'hi', { respectOptOut: false })).toBe('sent');
  expect(await sender.toContact('ws', 'in', 'hi')).toBe('sent');
  continueConversationAsync.mockRejectedValueOnce(new Error('channel down'));
  expect(await sender.toContact('ws', 'in', 'hi')).toBe('failed');
});

/** An adapter that runs the logic as CloudAdapter does: a throw inside goes to onTurnError (swallowed). */
function turnAdapter(sendActivity: () => Promise<unknown>) {
  return {
    continueConversationAsync: async (_app: string, _ref: unknown, logic: (c: never) => Promise<void>) => {
      try {
        await logic({ sendActivity } as never);
      } catch {
        // onTurnError logged it and returned: the adapter's promise resolves.
      }
    },
  };
}

function senderWith(adapter: ReturnType<typeof turnAdapter>, optedOutUser = false) {
  const ref: Partial<ConversationReference> = {
    channelId: 'test',
    conversation: { id: 'c' } as ConversationReference['conversation'],
  };
  return new BotProactiveSender({
    adapter: adapter as never,
    appId: '',
    contacts: {
      findById: async (_ws, id) => contact({ _id: id }),
      findByIdentity: async (_ws, who) =>
        who.channelId === 'test' && who.userId === 'agent' ? contact({ optedOut: optedOutUser }) : null,
    },
    refs: { forContact: async () => ref, forUser: async () => ref },
    log: silentLog(),
    timeoutMs: 100,
  });
}

test('a refused send is failed with the reason, not swallowed by onTurnError into "sent"', async () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const sender = senderWith(turnAdapter(() => Promise.reject(refused)));
  expect(await sender.toContact('ws', 'c1', 'hi')).toBe('failed');
  expect(await sender.sendToContact('ws', 'c1', 'hi')).toEqual({
    status: 'failed',
    error: 'connect ECONNREFUSED 127.0.0.1:9',
  });
});

test('a channel that never answers is failed after the send timeout', async () => {
  const sender = senderWith(turnAdapter(() => new Promise(() => undefined)));
  const t0 = Date.now();
  const r = await sender.sendToContact('ws', 'c1', 'hi');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(r).toEqual({ status: 'failed', error: expect.stringMatching(/no answer .* within 100 ms/) });
});

test("toUser honours opt-out unless the message is exempted (an agent's work notice)", async () => {
  const sendActivity = jest.fn(async () => ({ id: 'x' }));
  const sender = senderWith(turnAdapter(sendActivity), true);
  expect(await sender.toUser('ws', 'test', 'agent', 'New request')).toBe('opted-out');
  expect(sendActivity).not.toHaveBeenCalled();
  expect(await sender.toUser('ws', 'test', 'agent', 'New request', { respectOptOut: false })).toBe('sent');
  expect(await sender.toUser('ws', 'test', 'someone-else', 'hi')).toBe('sent');
  expect(sendActivity).toHaveBeenCalledTimes(2);
});
