/**
 * A TestAdapter bot with a fake turn pipeline (the TurnInfo is given, nothing is read), the real
 * handlers on fakes, and the real onTurnError: what unit tests of the bot's behaviour talk to.
 */
import { TestAdapter, type TurnContext } from 'botbuilder';
import pino from 'pino';
import { createBotLogic } from '../../../bot';
import type { TurnHandler, TurnInfo } from '../../../bot/contracts';
import { createTurnErrorHandler } from '../../../bot/errors';
import { setTurnInfo } from '../../../bot/pipeline';
import type { Contact } from '../../../src/domain/contacts/types';
import { ZERO_TRAITS } from '../../../src/domain/contacts/types';
import type { Segment } from '../../../src/domain/segments/types';

export const silentLog = () => {
  const log = pino({ level: 'silent' });
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(log, level);
  return log;
};

export function contact(over: Partial<Contact> = {}): Contact {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    ...ZERO_TRAITS,
    _id: 'c1',
    workspaceId: 'ws',
    name: 'Ann',
    createdAt: at,
    updatedAt: at,
    tags: [],
    custom: {},
    optedOut: false,
    identities: [{ channelId: 'test', userId: 'user1' }],
    segments: [],
    nextRecheckAt: null,
    version: 1,
    ...over,
  };
}

export function segment(name: string, priority: number, over: Partial<Segment> = {}): Segment {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    _id: `s-${slug}`,
    workspaceId: 'ws',
    name,
    nameKey: name.toLowerCase(),
    slug,
    type: 'dynamic',
    version: 1,
    priority,
    routing: false,
    description: '',
    dependsOn: [],
    createdBy: 'test',
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

export function info(over: Partial<TurnInfo> = {}): TurnInfo {
  return {
    workspaceId: 'ws',
    contact: contact(),
    segments: [],
    roles: [],
    channelId: 'test',
    userId: 'user1',
    ...over,
  };
}

/** A TestAdapter running `handlers` with `turnInfo` (a function: it may change between turns). */
export function botWith(handlers: TurnHandler[], turnInfo: () => TurnInfo, log = silentLog()) {
  const adapter = new TestAdapter(createBotLogic(handlers));
  adapter.onTurnError = createTurnErrorHandler(log);
  adapter.use({
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      setTurnInfo(context, turnInfo());
      await next();
    },
  });
  return { adapter, log };
}

/** The texts the bot replies to one message. */
export async function repliesTo(adapter: TestAdapter, text: string): Promise<string[]> {
  const before = adapter.activeQueue.length;
  await adapter.receiveActivity(text);
  return adapter.activeQueue.splice(before).map((a) => a.text ?? '');
}
