/**
 * A newcomer's first session in the console, step by step against the whole app: signed out there
 * is only the sign-in page (saying where the key is); sign in with the key; build a segment in the
 * rule builder and watch its preview follow each change; save it; create a campaign for it with
 * the message previewed for a real member, start it and see the messages reach the channel; bind
 * a flow to the segment. Also: `#/campaigns` and `#/flows` are their own pages and an unknown
 * route is a not-found page. Nothing leaves the server and the page throws nothing.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { TEST_API_KEY } from '../support/app';
import { eventually, openConsole, pageTools, type ConsoleSession } from './support';

let s: ConsoleSession;
let channel: TestChannel;
let t: ReturnType<typeof pageTools>;
const chatters: ChannelUser[] = [];

beforeAll(async () => {
  s = await openConsole('journey', { AGENDA_PROCESS_EVERY_MS: '100' });
  t = pageTools(s.page);
  channel = await TestChannel.start();
  // Two people who chatted with the bot (contacts with a conversation to message), one who did not.
  for (const name of ['Ada Shopper', 'Bo Shopper']) {
    const user = new ChannelUser(channel, {
      botUrl: `${s.origin}/api/messages`,
      userId: name.toLowerCase().replace(' ', '-'),
      userName: name,
    });
    await user.send('hi');
    chatters.push(user);
  }
  await s.api('POST', '/contacts', { name: 'Cy Quiet', email: 'cy@example.com' });
});
afterAll(async () => {
  await channel?.close();
  await s?.close();
});

const builder = (path: string, part: string) => `#new-builder .rb-cond[data-path="${path}"] > ${part}`;

test('signed out: only the sign-in page, saying where the key is; a wrong key is refused', async () => {
  await s.page.goto(`${s.origin}/#/campaigns`);
  await s.page.waitForSelector('#sign-in');
  expect(await t.visible('#nav')).toBe(false);
  expect(await t.visible('#sign-out')).toBe(false);
  expect(await t.text('#key-hint')).toContain(
    'the key printed by npm start on first run (also in DATA_DIR/admin-key.txt)',
  );
  expect(await t.texts('#key-hint code')).toEqual(['npm start', 'DATA_DIR/admin-key.txt']);
  await s.page.type('#api-key', 'wrong-key-wrong-key');
  await s.page.click('#sign-in button[type=submit]');
  await t.waitText('#sign-in .error', 'not valid');
  await t.shot('sign-in');
  expect(await t.visible('#nav')).toBe(false);
});

test('sign in with the key: the page asked for opens, the key stays in this tab only', async () => {
  await t.fill('#api-key', TEST_API_KEY);
  await s.page.click('#sign-in button[type=submit]');
  await s.page.waitForSelector('#campaigns-table');
  expect(await t.visible('#nav')).toBe(true);
  expect(await t.visible('#sign-out')).toBe(true);
  expect(await t.text('#nav a.active')).toBe('Campaigns');
  const stored = await s.page.evaluate(
    "[sessionStorage.getItem('segments.apiKey'), localStorage.length, document.cookie]",
  );
  expect(stored).toEqual([TEST_API_KEY, 0, '']);
});

test('#/flows is the flows page; an unknown route or id is a not-found page', async () => {
  await s.page.goto(`${s.origin}/#/flows`);
  await s.page.waitForSelector('#flows');
  expect(await t.text('#nav a.active')).toBe('Flows');
  await s.page.goto(`${s.origin}/#/no-such-page`);
  await t.waitText('#not-found', 'There is no page at #/no-such-page');
  await s.page.goto(`${s.origin}/#/segments/no-such-segment`);
  await t.waitText('#not-found', 'Page not found');
  await t.shot('not-found');
  expect(await t.visible('#segments-table')).toBe(false);
});

test('build a segment in the builder: the preview follows every change; save it', async () => {
  await s.page.goto(`${s.origin}/#/segments`);
  await s.page.waitForSelector('#new-builder .rb-cond');
  await s.page.type('#new-name', 'Chatted this week');
  // The first condition: "Last conversation is within the last 7 days".
  await s.page.select(builder('0', '.rb-field'), 'lastConversationAt');
  await s.page.select(builder('0', '.rb-op'), 'within last');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days');
  await t.waitText('#new-count', '2');
  await t.waitText('#new-sample', 'Ada Shopper');
  expect(await t.text('#new-sample')).toContain('Bo Shopper');
  // A second condition narrows it: name contains "Ada".
  await s.page.click('#new-builder .rb-group[data-path=""] > .rb-head .rb-add');
  await s.page.select(builder('1', '.rb-field'), 'name');
  await s.page.select(builder('1', '.rb-op'), 'contains');
  expect(await t.inPage<boolean>('document.querySelector("#new-create").disabled')).toBe(true); // incomplete
  await s.page.type(builder('1', '.rb-value'), 'Ada');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days AND name contains "Ada"');
  await t.waitText('#new-count', /^1$/);
  await t.shot('builder');
  // Any of them instead of all: OR.
  await s.page.select('#new-builder .rb-group[data-path=""] > .rb-head .rb-op-group', 'or');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days OR name contains "Ada"');
  await t.waitText('#new-count', /^2$/);
  await s.page.select('#new-builder .rb-group[data-path=""] > .rb-head .rb-op-group', 'and');
  await s.page.click(builder('1', '.rb-remove'));
  await t.waitText('#new-rule-text', /^lastConversationAt within last 7 days$/);
  await t.waitText('#new-count', /^2$/);
  await s.page.waitForFunction('!document.querySelector("#new-create").disabled');
  await s.page.click('#new-create');
  await t.waitText('#segment-name', 'Chatted this week');
  expect(await t.text('#segment-rule')).toBe('lastConversationAt within last 7 days');
  const saved = await s.api('GET', '/segments');
  const seg = saved.body.items.find((x: { name: string }) => x.name === 'Chatted this week');
  expect(seg.ruleText).toBe('lastConversationAt within last 7 days');
  const size = await eventually(
    async () => (await s.api('GET', `/segments/${seg._id}`)).body.memberCount as number,
    (n) => n === 2,
  );
  expect(size).toBe(2);
});

test('create and start a campaign for the segment: its message reaches both members', async () => {
  await s.page.goto(`${s.origin}/#/campaigns`);
  await s.page.waitForSelector('#new-campaign');
  await s.page.type('#camp-name', 'Welcome offer');
  const segId = await t.inPage<string>(
    `[...document.querySelectorAll('#camp-segment option')].find((o) => o.textContent === 'Chatted this week').value`,
  );
  await s.page.select('#camp-segment', segId);
  await t.fill('#camp-template', 'Hi {{contact.name}}, {{campaign.name}}: 10% off today.');
  await t.waitText('#camp-template-preview', 'Hi Sam Sample, Welcome offer: 10% off today.');
  // The preview for a real member of the audience.
  await s.page.waitForFunction("document.querySelectorAll('#camp-preview-contact option').length === 3");
  const ada = await t.inPage<string>(
    `[...document.querySelectorAll('#camp-preview-contact option')].find((o) => o.textContent === 'Ada Shopper').value`,
  );
  await s.page.select('#camp-preview-contact', ada);
  await t.waitText('#camp-template-preview', 'Hi Ada Shopper, Welcome offer: 10% off today.');
  await s.page.click('#camp-create');
  await s.page.waitForSelector('#camp-start');
  expect(await t.text('#camp-status')).toBe('draft');
  const mark = channel.received.length;
  await s.page.click('#camp-start');
  await t.waitText('#camp-status', 'completed', 30_000);
  await t.waitText('#camp-counts .count-sent', '2');
  await s.page.waitForFunction(
    'document.querySelectorAll(\'#deliveries tr[data-status="sent"]\').length === 2',
  );
  const texts = channel.received
    .slice(mark)
    .filter((a) => a.type === 'message')
    .map((a) => a.text)
    .sort();
  expect(texts).toEqual([
    'Hi Ada Shopper, Welcome offer: 10% off today.',
    'Hi Bo Shopper, Welcome offer: 10% off today.',
  ]);
  await t.shot('campaign');
  await s.page.goto(`${s.origin}/#/campaigns`);
  await t.waitText('#campaigns-table tr[data-campaign="Welcome offer"]', 'completed');
  await t.shot('campaigns');
  expect(await t.text('#campaigns-table tr[data-campaign="Welcome offer"] .count-sent')).toBe('2');
});

test('bind a flow to the segment: the binding is listed under its flow', async () => {
  await s.page.goto(`${s.origin}/#/flows`);
  await s.page.waitForSelector('#bind-create');
  await s.page.select('#bind-flow', 'welcome');
  const segId = await t.inPage<string>(
    `[...document.querySelectorAll('#bind-segment option')].find((o) => o.textContent === 'Chatted this week').value`,
  );
  await s.page.select('#bind-segment', segId);
  await s.page.select('#bind-reentry', 'every');
  await s.page.type('#bind-dwell', '10m');
  await s.page.click('#bind-create');
  const row = '.flow[data-flow="welcome"] tr[data-segment="Chatted this week"]';
  await s.page.waitForSelector(row);
  expect(await t.text(row)).toMatch(/Chatted this week.*enters.*every time.*still in after 10m.*enabled/);
  await t.shot('flows');
  const bindings = (await s.api('GET', '/flows/bindings')).body.items;
  expect(bindings).toEqual([
    expect.objectContaining({ flowId: 'welcome', segmentName: 'Chatted this week', dwellMs: 600_000 }),
  ]);
});

test('no request left the server and the page threw nothing', () => {
  expect(s.outside).toEqual([]);
  expect(s.pageErrors).toEqual([]);
});
