/**
 * The turn pipeline on fakes: what a turn knows before any handler runs, what it writes, and a
 * failure inside it becoming a logged, polite reply (never silence).
 */
import { TestAdapter } from 'botbuilder';
import { createBotLogic } from '../../../bot';
import type { TurnInfo } from '../../../bot/contracts';
import { APOLOGY, createTurnErrorHandler } from '../../../bot/errors';
import { TurnPipeline, type PipelineDeps } from '../../../bot/pipeline';
import { contact, segment, silentLog } from './harness';

const NOW = new Date('2026-06-01T12:00:00Z');
const VIP = segment('VIP Customers', 100);
const RISK = segment('At Risk', 10);
const OTHER = segment('Other', 50);

function setup(over: Partial<PipelineDeps> = {}) {
  const member = contact({
    segments: [
      { segmentId: RISK._id, since: NOW },
      { segmentId: VIP._id, since: NOW },
    ],
  });
  const deps = {
    workspaceId: 'ws',
    contacts: {
      resolveChannelContact: jest.fn(async () => ({ contact: contact(), created: true })),
      get: jest.fn(async () => member),
    },
    activity: { recordMessage: jest.fn(async () => undefined) },
    segments: { list: jest.fn(async () => [RISK, OTHER, VIP]) },
    roles: { rolesOf: jest.fn(async () => ['admin' as const]), grant: jest.fn(), holders: jest.fn() },
    refs: { save: jest.fn(async () => undefined) },
    clock: () => NOW,
  } satisfies PipelineDeps;
  const seen: TurnInfo[] = [];
  const log = silentLog();
  const adapter = new TestAdapter(createBotLogic([async (_c, i) => (seen.push(i), true)]));
  adapter.onTurnError = createTurnErrorHandler(log);
  adapter.use(new TurnPipeline({ ...deps, ...over }));
  return { adapter, deps, seen, log };
}

test('a message: contact resolved, conversation recorded, segments by priority, roles, reference saved', async () => {
  const { adapter, deps, seen } = setup();
  await adapter.receiveActivity({ type: 'message', text: 'hi', id: 'a-1', from: { id: 'u1', name: 'Ann' } });
  expect(deps.contacts.resolveChannelContact).toHaveBeenCalledWith(
    'ws',
    { channelId: 'test', userId: 'u1' },
    'Ann',
  );
  const [, , signal, eventId] = deps.activity.recordMessage.mock.calls[0] as unknown as [
    string,
    string,
    { at: Date; conversationId: string; intents: string[] },
    string,
  ];
  expect(signal).toEqual({ at: NOW, conversationId: 'Convo1', intents: [] });
  expect(eventId).toMatch(/^bot-turn:[0-9a-f]{40}$/);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({
    workspaceId: 'ws',
    channelId: 'test',
    userId: 'u1',
    roles: ['admin'],
    newContact: true,
  });
  expect(seen[0]!.segments.map((s) => s.name)).toEqual(['VIP Customers', 'At Risk']);
  const [, contactId, channelId, userId, ref] = deps.refs.save.mock.calls[0] as unknown as unknown[];
  expect([contactId, channelId, userId]).toEqual(['c1', 'test', 'u1']);
  expect(ref).toMatchObject({ conversation: { id: 'Convo1' }, serviceUrl: 'https://test.com' });
});

test('the same activity id gives the same event id (a channel retry counts once)', async () => {
  const { adapter, deps } = setup();
  await adapter.receiveActivity({ type: 'message', text: 'x', id: 'same' });
  await adapter.receiveActivity({ type: 'message', text: 'x', id: 'same' });
  const ids = deps.activity.recordMessage.mock.calls.map((c) => (c as unknown[])[3]);
  expect(ids[0]).toBe(ids[1]);
});

test('a join resolves the added user without recording a conversation; typing has no caller', async () => {
  const { adapter, deps, seen } = setup();
  await adapter.receiveActivity({
    type: 'conversationUpdate',
    membersAdded: [
      { id: 'bot', name: 'Bot' },
      { id: 'u9', name: 'Nia' },
    ],
  });
  await adapter.receiveActivity({ type: 'typing' });
  expect(deps.contacts.resolveChannelContact).toHaveBeenCalledWith(
    'ws',
    { channelId: 'test', userId: 'u9' },
    'Nia',
  );
  expect(deps.activity.recordMessage).not.toHaveBeenCalled();
  expect(seen).toHaveLength(1);
});

test('a failure in the pipeline is logged with the activity id and answered politely', async () => {
  const boom = new Error('database is down');
  const { adapter, seen, log } = setup({
    contacts: { resolveChannelContact: jest.fn(async () => Promise.reject(boom)), get: jest.fn() },
  });
  await adapter.receiveActivity({ type: 'message', text: 'hi', id: 'a-42' });
  expect(adapter.activeQueue.map((a) => a.text)).toEqual([APOLOGY]);
  expect(seen).toEqual([]);
  expect(log.error).toHaveBeenCalledWith(
    expect.objectContaining({ activityId: 'a-42', err: boom }),
    'bot: turn failed',
  );
});
