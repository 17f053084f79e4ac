/**
 * Admin commands through the bot (TestAdapter): refusal of non-admins (logged, nothing runs),
 * usage help, a rule error answered with line and column, and the "yes" confirmation.
 */
import { AdminCommands, type AdminServices } from '../../../bot/admin/commands';
import { createAdminHandler } from '../../../bot/admin';
import type { TurnInfo } from '../../../bot/contracts';
import type { PendingAction, PendingOwner } from '../../../src/infra/repos/pendingConfirmations';
import { SegmentService } from '../../../src/domain/segments/service';
import { botWith, info, repliesTo, segment } from './harness';

/** The pending store's contract, in memory. */
function memoryPending() {
  const m = new Map<string, PendingAction>();
  const k = (o: PendingOwner) => JSON.stringify(o);
  return {
    put: jest.fn(async (o: PendingOwner, a: PendingAction) => void m.set(k(o), a)),
    has: async (o: PendingOwner) => m.has(k(o)),
    take: async (o: PendingOwner) => {
      const a = m.get(k(o)) ?? null;
      m.delete(k(o));
      return a;
    },
  };
}

const VIP = segment('VIP Customers', 100, {
  rule: { kind: 'condition', field: 'leadScore', operator: '>', value: 1 },
});

function setup(roles: TurnInfo['roles']) {
  const segments = {
    list: jest.fn(async () => [VIP]),
    getByName: jest.fn(async () => VIP),
    create: jest.fn(),
    update: jest.fn(async () => VIP),
    delete: jest.fn(async () => undefined),
  };
  const preview = jest.fn(async () => ({ count: 3, sample: [], impact: { enter: 1, exit: 2 } }));
  const services = {
    segments: segments as unknown as SegmentService,
    membership: {
      queries: { preview, memberCount: async () => 7 },
      engine: {},
      catalog: {},
      clock: () => new Date(),
    },
    contacts: {
      findById: async () => null,
      findByEmail: async () => null,
      findByExternalId: async () => null,
    },
  } as unknown as AdminServices;
  const commands = new AdminCommands(services);
  const run = jest.spyOn(commands, 'run');
  const handler = createAdminHandler({ commands, pending: memoryPending(), clock: () => new Date() });
  const { adapter, log } = botWith([handler], () => info({ roles }));
  return { adapter, log, segments, preview, run };
}

test('a non-admin is refused, the attempt is logged with who tried, and nothing runs', async () => {
  const { adapter, log, segments, run } = setup(['agent']);
  const replies = await repliesTo(adapter, '/segment create "X" where leadScore > 1');
  expect(replies).toEqual([expect.stringMatching(/^Sorry, that command is only for admins/)]);
  expect(run).not.toHaveBeenCalled();
  expect(segments.create).not.toHaveBeenCalled();
  expect(log.warn).toHaveBeenCalledWith(
    expect.objectContaining({
      channelId: 'test',
      userId: 'user1',
      text: '/segment create "X" where leadScore > 1',
    }),
    'bot: admin command refused',
  );
});

test('bad usage and unknown commands get usage help', async () => {
  const { adapter, run } = setup(['admin']);
  expect(await repliesTo(adapter, '/segment create "VIP"')).toEqual([
    'Write the rule after "where".\nUsage: /segment create "<name>" where <rule>',
  ]);
  expect((await repliesTo(adapter, '/nope'))[0]).toMatch(
    /^Unknown command "\/nope"\.\nAdmin commands:\n\/help/,
  );
  expect(run).not.toHaveBeenCalled();
});

test('a rule error is answered with line, column, what was expected and an example', async () => {
  const { adapter, preview } = setup(['admin']);
  const [reply] = await repliesTo(adapter, '/segment preview lifetimeValue >\n  "lots"');
  expect(reply).toMatch(/^I couldn't read that rule: line 2, column 3: /);
  expect(reply).toMatch(/\nExpected .*number/);
  expect(reply).toContain('\nA valid rule looks like: lifetimeValue > 5000 OR tag = "VIP"');
  expect(preview).not.toHaveBeenCalled();
  expect(() => SegmentService.readRule('lifetimeValue > 5000 OR tag = "VIP"')).not.toThrow();
});

test('an update shows its impact and applies only after "yes"; anything else cancels', async () => {
  const { adapter, segments } = setup(['admin']);
  const [ask] = await repliesTo(adapter, '/segment update "VIP Customers" where leadScore > 50');
  expect(ask).toBe(
    'Change "VIP Customers" to: leadScore > 50\n1 contact would enter and 2 contacts would exit (3 would match in all).\nType "yes" to apply it; anything else cancels.',
  );
  expect(segments.update).not.toHaveBeenCalled();
  expect(await repliesTo(adapter, 'Yes!')).toEqual([
    'Updated "VIP Customers". Membership is being recomputed.',
  ]);
  expect(segments.update).toHaveBeenCalledWith('ws', VIP._id, { rule: 'leadScore > 50' });

  await repliesTo(adapter, '/segment delete "VIP Customers"');
  expect(await repliesTo(adapter, 'hmm, no')).toEqual(['Cancelled: nothing was changed.']);
  expect(await repliesTo(adapter, 'yes')).toEqual([]); // not ours any more: nothing is pending
  expect(segments.delete).not.toHaveBeenCalled();
});

test('/segments and /segment show', async () => {
  const { adapter } = setup(['admin']);
  expect(await repliesTo(adapter, '/segments')).toEqual([
    'Segments (1):\n- VIP Customers: dynamic, 7 members, priority 100',
  ]);
  expect((await repliesTo(adapter, '/segment show VIP Customers'))[0]).toBe(
    'VIP Customers (dynamic, priority 100)\nRule: leadScore > 1\nMembers: 7',
  );
});
