/**
 * BOT_PERSONALISATION through the real turn pipeline (on fakes) and the real conversation handler:
 * on, a VIP contact gets the VIP greeting; off, the segments are not read, the turn's segments are
 * empty and the same contact gets the default greeting. Everything else in the pipeline still runs.
 */
import { TestAdapter } from 'botbuilder';
import { createBotLogic } from '../../../bot';
import type { TurnInfo } from '../../../bot/contracts';
import { createConversationHandler } from '../../../bot/conversation';
import { createTurnErrorHandler } from '../../../bot/errors';
import { Personaliser } from '../../../bot/personalise';
import { TurnPipeline, type PipelineDeps } from '../../../bot/pipeline';
import { contact, segment, silentLog } from './harness';

const NOW = new Date('2026-06-01T12:00:00Z');
const VIP = segment('VIP Customers', 100);

function setup(personalisation: boolean) {
  const vip = contact({ name: 'Vera', segments: [{ segmentId: VIP._id, since: NOW }] });
  const deps = {
    workspaceId: 'ws',
    contacts: {
      resolveChannelContact: jest.fn(async () => ({ contact: vip, created: false })),
      get: jest.fn(async () => vip),
    },
    activity: { recordMessage: jest.fn(async () => undefined) },
    segments: { list: jest.fn(async () => [VIP]) },
    roles: { rolesOf: jest.fn(async () => []), grant: jest.fn(), holders: jest.fn() },
    refs: { save: jest.fn(async () => undefined) },
    clock: () => NOW,
    personalisation,
  } satisfies PipelineDeps;
  const log = silentLog();
  const personaliser = Personaliser.fromSources(
    {
      greetings: {
        default: 'Hello {{contact.name}}!',
        'vip-customers': 'Welcome back, VIP {{contact.name}}!',
      },
      offers: { default: 'Default offer.', 'vip-customers': 'VIP offer.' },
    },
    log,
  );
  const seen: TurnInfo[] = [];
  const handler = createConversationHandler({ personaliser });
  const adapter = new TestAdapter(createBotLogic([async (c, i) => (seen.push(i), handler(c, i))]));
  adapter.onTurnError = createTurnErrorHandler(log);
  adapter.use(new TurnPipeline(deps));
  return { adapter, deps, seen, log };
}

async function replies(adapter: TestAdapter, text: string): Promise<string[]> {
  const before = adapter.activeQueue.length;
  await adapter.receiveActivity({ type: 'message', text, id: `a-${text}`, from: { id: 'u1', name: 'Vera' } });
  return adapter.activeQueue.splice(before).map((a) => a.text ?? '');
}

test('on (the default): a VIP contact gets the VIP greeting and offer', async () => {
  const { adapter, deps, seen } = setup(true);
  expect(await replies(adapter, 'hi')).toEqual(['Welcome back, VIP Vera!']);
  expect(await replies(adapter, 'offers')).toEqual(['VIP offer.']);
  expect(deps.segments.list).toHaveBeenCalledTimes(2);
  expect(seen[0]!.segments.map((s) => s.name)).toEqual(['VIP Customers']);
});

test('off: the segments are not read and the same VIP contact gets the default greeting and offer', async () => {
  const { adapter, deps, seen, log } = setup(false);
  expect(await replies(adapter, 'hi')).toEqual(['Hello Vera!']);
  expect(await replies(adapter, 'offers')).toEqual(['Default offer.']);
  expect(deps.segments.list).not.toHaveBeenCalled();
  expect(seen.map((i) => i.segments)).toEqual([[], []]);
  // The rest of the pipeline still runs: contact, conversation, roles, reference.
  expect(deps.contacts.resolveChannelContact).toHaveBeenCalledTimes(2);
  expect(deps.activity.recordMessage).toHaveBeenCalledTimes(2);
  expect(deps.roles.rolesOf).toHaveBeenCalledTimes(2);
  expect(deps.refs.save).toHaveBeenCalledTimes(2);
  expect(seen[0]!.contact.name).toBe('Vera');
  expect(log.error).not.toHaveBeenCalled();
});
