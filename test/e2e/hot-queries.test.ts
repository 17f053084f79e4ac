/**
 * Issue 10: no hot query scans. A realistic mix runs through the whole app over HTTP — first
 * contacts and returning ones through the bot, events, tags, a handoff with an agent, the
 * sweeper, the outbox recovery and the dispatcher — on a collection big enough that a scan
 * would matter. Then the launcher's own counters (the `segmentsQueryStats` command, our
 * equivalent of MongoDB's `explain`) must show that every query on the hot collections was
 * served by an index. A query that scans is named in the failure.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { flushStale } from '../../src/infra/membership/flush';
import { MongoEventRepo } from '../../src/infra/repos/events';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

let app: App;
let channel: TestChannel;
let botUrl: string;
const api = apiClient(() => app);
const user = (userId: string, userName: string) => new ChannelUser(channel, { botUrl, userId, userName });

/** Collections whose queries run on every turn, event or sweep. */
const HOT = ['contacts', 'events', 'conversation_refs', 'handoffs', 'segment_transitions', 'bot_roles'];

interface Stats {
  collections: Record<string, Record<string, number>>;
}

beforeAll(async () => {
  app = await startTestApp('hotq', { ADMIN_API_KEY: TEST_API_KEY, BOT_AGENTS: 'agent-amy' });
  channel = await TestChannel.start();
  botUrl = `http://127.0.0.1:${app.port}/api/messages`;
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
});

test('every query on the hot collections is served by an index', async () => {
  const db = app.conn.db!;
  await api('POST', '/segments', {
    name: 'VIP Customers',
    rule: 'lifetimeValue > 500 OR tag = "VIP"',
    priority: 100,
    routing: true,
  });
  await api('POST', '/segments', { name: 'Inactive', rule: 'lastConversationAt more than 30 days ago' });
  await api('POST', '/segments', { name: 'New', rule: 'createdAt within last 7 days' });
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const r = await api('POST', '/contacts', {
      externalId: `x${i}`,
      name: `Person ${i}`,
      email: `p${i}@example.com`,
    });
    ids.push(r.body._id as string);
  }
  await db.command({ segmentsQueryStats: 1, reset: true });

  const events = ids.slice(0, 30).map((id, i) => ({
    eventId: `e${i}`,
    contactId: id,
    type: 'purchase',
    data: { amount: 100 * i },
  }));
  expect((await api('POST', '/events', { events })).status).toBe(200);
  await api('POST', '/events', { events: events.slice(0, 5) }); // replays
  await api('POST', `/contacts/${ids[0]}/tags`, { add: ['VIP'] });
  await api('GET', `/contacts/${ids[1]}`);
  await api('GET', `/contacts/${ids[1]}/segments`);

  const agent = user('agent-amy', 'Amy');
  await agent.send('hi');
  const people = Array.from({ length: 5 }, (_, i) => user(`u${i}`, `User ${i}`));
  for (const p of people) {
    await p.send('hi');
    await p.send('offers');
  }
  await people[0]!.send('agent');
  await people[1]!.send('agent');
  await agent.send('/queue');
  await agent.send('/accept');
  await agent.send('hello there');
  await people[0]!.send('thanks');
  await people[0]!.send('bye');

  await app.membership.sweep();
  await app.membership.dispatcher.dispatchOnce();
  await flushStale(app.membership.collections); // the outbox recovery loop's query
  await new MongoEventRepo(db).findPending(new Date(), 100); // the pending-events loop's query
  await api('GET', '/transitions?limit=50');

  const stats = (await db.command({ segmentsQueryStats: 1 })) as unknown as Stats;
  const scans = Object.entries(stats.collections)
    .filter(([name]) => HOT.includes(name))
    .flatMap(([name, shapes]) =>
      Object.entries(shapes)
        .filter(([shape]) => shape.startsWith('SCAN'))
        .map(([shape, n]) => `${name}: ${shape} ×${n}`),
    );
  const served = Object.entries(stats.collections)
    .filter(([name]) => HOT.includes(name))
    .flatMap(([, shapes]) => Object.keys(shapes).filter((s) => s.startsWith('INDEX')));
  expect(served.length).toBeGreaterThan(10);
  expect(scans).toEqual([]);
}, 60_000);
