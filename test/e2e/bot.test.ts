/**
 * The bot over real HTTP: the whole app in-process, and a TestChannel on 127.0.0.1 receiving the
 * bot's replies at the `serviceUrl` each activity names (no app id: as the Emulator connects).
 * First contact, an admin creating a segment by chat, a purchase making a contact VIP and the
 * VIP greeting, refusal of a non-admin, opt-out and proactive delivery, and the clear answers to a
 * malformed activity, an unknown command, an over-long rule and a template error.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import type { App } from '../../src/app';
import { apiClient, startTestApp, stopTestApp, TEST_API_KEY } from '../support/app';

const KEY = TEST_API_KEY;
let app: App;
let channel: TestChannel;
let templates: string;
let botUrl: string;

const api = apiClient(() => app);
const contacts = async () => (await api('GET', '/contacts?limit=200')).body.items as Record<string, any>[];
const segmentNames = async () =>
  ((await api('GET', '/segments')).body.items as { name: string }[]).map((s) => s.name);
const user = (userId: string, userName: string) => new ChannelUser(channel, { botUrl, userId, userName });
const texts = (r: { replies: { text?: string }[] }) => r.replies.map((a) => a.text ?? '');

beforeAll(async () => {
  templates = await mkdtemp(path.join(tmpdir(), 'segments-templates-'));
  await cp(path.join(__dirname, '../../templates'), templates, { recursive: true });
  // Strict templates: a field the contact lacks fails at render time.
  await writeFile(path.join(templates, 'greetings/template-trouble.hbs'), 'Hi {{contact.noSuchField}}!');
  app = await startTestApp('bot', { ADMIN_API_KEY: KEY, BOT_ADMINS: 'chat-admin', TEMPLATES_DIR: templates });
  channel = await TestChannel.start();
  botUrl = `http://127.0.0.1:${app.port}/api/messages`;
});
afterAll(async () => {
  await channel?.close();
  if (app) await stopTestApp(app);
  await rm(templates, { recursive: true, force: true });
});

test('first contact creates the contact and gets the default greeting', async () => {
  const r = await user('ann', 'Ann').send('good morning');
  expect(r.status).toBe(200);
  expect(texts(r)).toHaveLength(1);
  expect(texts(r)[0]).toMatch(/^Hello Ann! I'm the Segments assistant/);
  const ann = (await contacts()).find((c) => c.name === 'Ann');
  expect(ann).toMatchObject({ identities: [{ channelId: 'chat-cli', userId: 'ann' }], conversationCount: 1 });
});

test('an admin creates "VIP Customers" by chat; a purchase makes a contact VIP; the next greeting is the VIP one', async () => {
  const admin = user('chat-admin', 'Ada Admin');
  const created = await admin.send(
    '/segment create "VIP Customers" where lifetimeValue > 5000 OR tag = "VIP"',
  );
  expect(texts(created).at(-1)).toMatch(/^Created "VIP Customers" \(dynamic\)/);
  expect(await segmentNames()).toContain('VIP Customers');

  const cleo = user('cleo', 'Cleo');
  expect(texts(await cleo.send('hi'))[0]).toMatch(/^Hello Cleo!/);
  const id = (await contacts()).find((c) => c.name === 'Cleo')!._id as string;
  const ev = await api('POST', '/events', [
    { eventId: 'bot-e2e-buy-1', contactId: id, type: 'purchase', data: { amount: 6000, currency: 'EUR' } },
  ]);
  expect(ev.body.results[0].status).toBe('applied');

  const again = texts(await cleo.send('hello'));
  expect(again).toHaveLength(1);
  expect(again[0]).toMatch(/^Welcome back, Cleo! As one of our VIP customers/);
  expect(again[0]).toContain('VIP offer');
  expect(texts(await cleo.send('offers'))).toEqual([expect.stringMatching(/^VIP offer/)]);

  const why = texts(await admin.send(`/segment why ${id} "VIP Customers"`))[0];
  expect(why).toContain('is in "VIP Customers"');
  expect(why).toContain('[yes] lifetimeValue > 5000 (actual: 6000)');
  expect(texts(await admin.send('/segments'))[0]).toMatch(/- VIP Customers: dynamic, 1 member, priority 0/);
});

test("a non-admin's /segment create is refused and changes nothing", async () => {
  const before = await segmentNames();
  const r = await user('mallory', 'Mallory').send('/segment create "Sneaky" where leadScore > 1');
  expect(r.status).toBe(200);
  expect(texts(r)).toEqual([expect.stringMatching(/only for admins/)]);
  expect(await segmentNames()).toEqual(before);
});

test('update asks for "yes" and then applies; delete is cancelled by anything else', async () => {
  const admin = user('chat-admin', 'Ada Admin');
  const ask = texts(await admin.send('/segment update "VIP Customers" where lifetimeValue > 100000'))[0];
  expect(ask).toMatch(/0 contacts would enter and 1 contact would exit/);
  expect(texts(await admin.send('yes'))[0]).toBe('Updated "VIP Customers". Membership is being recomputed.');
  expect(texts(await admin.send('/segment show VIP Customers'))[0]).toContain('Rule: lifetimeValue > 100000');

  expect(texts(await admin.send('/segment delete "VIP Customers"'))[0]).toMatch(/Type "yes" to delete/);
  expect(texts(await admin.send('no thanks'))[0]).toBe('Cancelled: nothing was changed.');
  expect(await segmentNames()).toContain('VIP Customers');
});

test('"stop" opts out: a proactive message is then not delivered ("start" opts back in)', async () => {
  const dan = user('dan', 'Dan');
  await dan.send('hi');
  const id = (await contacts()).find((c) => c.name === 'Dan')!._id as string;
  expect(texts(await dan.send('stop'))[0]).toMatch(/^You're unsubscribed/);
  expect((await api('GET', `/contacts/${id}`)).body.optedOut).toBe(true);

  const mark = channel.received.length;
  expect(await app.bot.proactive.toContact('default', id, 'Flash sale!')).toBe('opted-out');
  await new Promise((r) => setTimeout(r, 200));
  expect(channel.receivedIn(dan.conversationId, mark)).toEqual([]);

  expect(texts(await dan.send('start'))[0]).toMatch(/^You're subscribed again/);
  const later = channel.received.length;
  expect(await app.bot.proactive.toContact('default', id, 'Flash sale!')).toBe('sent');
  expect(channel.receivedIn(dan.conversationId, later).map((a) => a.text)).toEqual(['Flash sale!']);
});

test('a malformed activity is a 400 with a clear message and changes nothing', async () => {
  const before = (await contacts()).length;
  const eve = user('eve', 'Eve');
  const cases = [
    await eve.post({}, '[1, 2]'),
    await eve.post({ type: 42 }),
    await eve.post({ from: undefined }),
    await eve.post({ serviceUrl: 'not a url' }),
    await eve.post({ conversation: undefined }),
  ];
  for (const r of cases) {
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^Malformed activity/),
    });
    expect(r.replies).toEqual([]);
  }
  expect((await contacts()).length).toBe(before);
});

test('a sender whose name is not text (12345) still gets an answer (issue 16)', async () => {
  const r = await user('num', 'x').post({ type: 'message', text: 'hi', from: { id: 'num', name: 12345 } });
  expect(r.status).toBe(200);
  expect(texts(r).join(' ')).toMatch(/Hello 12345/);
});

test('an unknown command and an over-long rule get a clear reply and change nothing', async () => {
  const admin = user('chat-admin', 'Ada Admin');
  const before = await segmentNames();
  const unknown = texts(await admin.send('/frobnicate now'))[0];
  expect(unknown).toMatch(/^Unknown command "\/frobnicate"\.\nAdmin commands:/);
  expect(unknown).toContain('/segment create "<name>" where <rule>');

  const rule = Array.from({ length: 800 }, (_, i) => `leadScore > ${i}`).join(' OR ');
  expect(rule.length).toBeGreaterThan(10_000);
  const long = texts(await admin.send(`/segment create "Long" where ${rule}`))[0];
  expect(long).toMatch(
    /^I couldn't read that rule: line 1, column 1: rule too long: at most 10000 characters/,
  );
  expect(long).toContain('A valid rule looks like: lifetimeValue > 5000 OR tag = "VIP"');

  const typo = texts(await admin.send('/segment preview lifetimeValue >\n  "lots"'))[0];
  expect(typo).toMatch(/line 2, column 3/);
  expect(await segmentNames()).toEqual(before);
});

test('a template that fails at render time falls back to the default greeting', async () => {
  const admin = user('chat-admin', 'Ada Admin');
  expect(texts(await admin.send('/segment create "Template Trouble" where name = "Tess"'))[0]).toMatch(
    /^Created/,
  );
  const r = await user('tess', 'Tess').send('hello');
  expect(r.status).toBe(200);
  expect(texts(r)).toEqual([expect.stringMatching(/^Hello Tess! I'm the Segments assistant/)]);
  const tess = (await contacts()).find((c) => c.name === 'Tess')!;
  expect(tess.segments).toHaveLength(1);
});

test('joining a conversation greets; lists and /contact work by chat', async () => {
  const finn = user('finn', 'Finn');
  const joined = await finn.join();
  expect(joined.status).toBe(200);
  expect(texts(joined)).toEqual([expect.stringMatching(/^Hello Finn!/)]);
  const id = (await contacts()).find((c) => c.name === 'Finn')!._id as string;

  const admin = user('chat-admin', 'Ada Admin');
  expect(texts(await admin.send('/list create "Beta Testers"'))[0]).toMatch(
    /^Created the list "Beta Testers"/,
  );
  expect(texts(await admin.send(`/list add "Beta Testers" ${id}`))).toEqual([
    'Added Finn to "Beta Testers".',
  ]);
  expect(texts(await admin.send(`/list add "Beta Testers" ${id}`))).toEqual([
    'Finn is already on "Beta Testers".',
  ]);
  const card = texts(await admin.send(`/contact ${id}`))[0];
  expect(card).toContain('Segments: Beta Testers');
  expect(card).toContain('Opted out: no');
  expect(texts(await admin.send('/contact nobody@example.com'))).toEqual([
    'Contact nobody@example.com was not found',
  ]);
  expect(texts(await admin.send(`/list remove "Beta Testers" ${id}`))).toEqual([
    'Removed Finn from "Beta Testers".',
  ]);
});
