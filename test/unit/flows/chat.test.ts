/**
 * The workflow chat commands through the bot (TestAdapter, fake admin service): a non-admin is
 * refused and nothing runs; a mistake gets the usage and nothing runs; `/flows` and `/flow bind`
 * answer from the admin service.
 */
import { createFlowCommandHandler } from '../../../bot/admin/flows';
import type { FlowAdmin } from '../../../src/infra/flows/admin';
import { botWith, contact, info, repliesTo } from '../bot/harness';

const calls: string[] = [];
const admin = {
  catalogue: async () => {
    calls.push('catalogue');
    return [
      {
        id: 'welcome',
        name: 'Welcome sequence',
        description: 'Three messages',
        templates: [],
        bindings: [
          {
            on: 'entered',
            segmentName: 'New This Week',
            reentry: { kind: 'once' },
            dwellMs: 0,
            stopOnExit: false,
            enabled: true,
          },
        ],
      },
    ];
  },
  bind: async (_ws: string, input: { segment: string }) => {
    calls.push(`bind ${JSON.stringify(input)}`);
    return {
      on: 'entered',
      segmentName: input.segment,
      reentry: { kind: 'cooldown', ms: 7 * 86_400_000 },
      dwellMs: 600_000,
      stopOnExit: false,
    };
  },
  instances: async () => [],
  cancel: async () => {
    throw new Error('not used');
  },
} as unknown as FlowAdmin;
const handler = createFlowCommandHandler({
  admin: () => admin,
  contacts: {
    findById: async () => contact(),
    findByEmail: async () => null,
    findByExternalId: async () => null,
  },
});

beforeEach(() => calls.splice(0));

test('a non-admin is refused and nothing runs', async () => {
  const { adapter } = botWith([handler], () => info());
  expect(await repliesTo(adapter, '/flows')).toEqual([expect.stringMatching(/only for admins/)]);
  expect(calls).toEqual([]);
});

test('an admin: /flows lists flows with bindings; /flow bind answers; a mistake gets the usage', async () => {
  const { adapter } = botWith([handler], () => info({ roles: ['admin'] }));
  expect(await repliesTo(adapter, '/flows')).toEqual([
    'Flows:\n- Welcome sequence (welcome): Three messages\n    on enter "New This Week", once',
  ]);
  expect(
    await repliesTo(adapter, '/flow bind "Welcome sequence" on enter "Quiet" cooldown 7d dwell 10m'),
  ).toEqual(['Bound "Welcome sequence" to entering "Quiet" (cooldown 7d, dwell 10m).']);
  const usage = await repliesTo(adapter, '/flow bind "Welcome sequence" on enter "Quiet" sometimes');
  expect(usage[0]).toMatch(/^I don't know the option "sometimes"\.\nUsage: \/flow bind/);
  expect(await repliesTo(adapter, '/flow instances nobody@example.com')).toEqual([
    'Contact nobody@example.com was not found',
  ]);
  expect(calls).toEqual(['catalogue', expect.stringMatching(/^bind .*"dwellMs":600000/)]);
});
