/**
 * The console in a real browser (headless Chromium through puppeteer-core) against the whole app
 * on a loopback port, as a newcomer's first session, step by step: signed out there is only the
 * sign-in page (saying where the key is; a wrong key refused); sign in with the key (kept in this
 * tab only); `#/campaigns` and `#/flows` are their own pages and an unknown route is a not-found
 * page; build a segment in the rule builder and watch its preview follow each change; save it;
 * create a campaign for it with the message previewed for a real member, start it and see the
 * messages reach the channel; bind a flow to the segment. Then: a segment from typed rule text
 * and a rule edit's impact, the reports (metrics in words, a compare chart beside the table,
 * dates with the month in words), the API docs, and Web Chat through the built-in Direct Line.
 * No request may leave the server, and the page may throw no error.
 */
import type { Page } from 'puppeteer-core';
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { TEST_API_KEY } from '../support/app';
import { eventually, openConsole, pageTools, type ConsoleSession } from './support';

let s: ConsoleSession;
let channel: TestChannel;
let t: ReturnType<typeof pageTools>;
let page: Page;
let origin: string;
const api: ConsoleSession['api'] = (...args) => s.api(...args);

beforeAll(async () => {
  s = await openConsole('console', {
    BOT_ADMINS: 'directline:console-admin',
    AGENDA_PROCESS_EVERY_MS: '100',
  });
  ({ page, origin } = s);
  t = pageTools(page);
  channel = await TestChannel.start();
  // Two people who chatted with the bot (contacts with a conversation to message), three who did not.
  for (const name of ['Ada Shopper', 'Bo Shopper']) {
    const user = new ChannelUser(channel, {
      botUrl: `${origin}/api/messages`,
      userId: name.toLowerCase().replace(' ', '-'),
      userName: name,
    });
    await user.send('hi');
  }
  for (const [name, tags] of [
    ['Vera VIP', ['VIP']],
    ['Victor VIP', ['VIP']],
    ['Nina Normal', []],
  ] as const) {
    await api('POST', '/contacts', { name, tags: [...tags] });
  }
});
afterAll(async () => {
  await channel?.close();
  await s?.close();
});

const builder = (path: string, part: string) => `#new-builder .rb-cond[data-path="${path}"] > ${part}`;

test('signed out: only the sign-in page, saying where the key is; a wrong key is refused', async () => {
  await page.goto(`${origin}/#/campaigns`);
  await page.waitForSelector('#sign-in');
  expect(await t.visible('#nav')).toBe(false);
  expect(await t.visible('#sign-out')).toBe(false);
  expect(await t.text('#key-hint')).toContain(
    'the key printed by npm start on first run (also in DATA_DIR/admin-key.txt)',
  );
  expect(await t.texts('#key-hint code')).toEqual(['npm start', 'DATA_DIR/admin-key.txt']);
  await page.type('#api-key', 'wrong-key-wrong-key');
  await page.click('#sign-in button[type=submit]');
  await t.waitText('#sign-in .error', 'not valid');
  await t.shot('sign-in');
  expect(await t.visible('#nav')).toBe(false);
});

test('sign in with the key: the page asked for opens, the key stays in this tab only', async () => {
  await t.fill('#api-key', TEST_API_KEY);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#campaigns-table');
  expect(await t.visible('#nav')).toBe(true);
  expect(await t.visible('#sign-out')).toBe(true);
  expect(await t.text('#nav a.active')).toBe('Campaigns');
  const stored = await page.evaluate(
    "[sessionStorage.getItem('segments.apiKey'), localStorage.length, document.cookie]",
  );
  expect(stored).toEqual([TEST_API_KEY, 0, '']);
});

test('#/flows is the flows page; an unknown route or id is a not-found page', async () => {
  await page.goto(`${origin}/#/flows`);
  await page.waitForSelector('#flows');
  expect(await t.text('#nav a.active')).toBe('Flows');
  await page.goto(`${origin}/#/no-such-page`);
  await t.waitText('#not-found', 'There is no page at #/no-such-page');
  await page.goto(`${origin}/#/segments/no-such-segment`);
  await t.waitText('#not-found', 'Page not found');
  await t.shot('not-found');
  expect(await t.visible('#segments-table')).toBe(false);
});

test('build a segment in the builder: the preview follows every change; save it', async () => {
  await page.goto(`${origin}/#/segments`);
  await page.waitForSelector('#new-builder .rb-cond');
  await page.type('#new-name', 'Chatted this week');
  // The first condition: "Last conversation is within the last 7 days".
  await page.select(builder('0', '.rb-field'), 'lastConversationAt');
  await page.select(builder('0', '.rb-op'), 'within last');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days');
  await t.waitText('#new-count', '2');
  await t.waitText('#new-sample', 'Ada Shopper');
  expect(await t.text('#new-sample')).toContain('Bo Shopper');
  // A second condition narrows it: name contains "Ada".
  await page.click('#new-builder .rb-group[data-path=""] > .rb-head .rb-add');
  await page.select(builder('1', '.rb-field'), 'name');
  await page.select(builder('1', '.rb-op'), 'contains');
  expect(await t.inPage<boolean>('document.querySelector("#new-create").disabled')).toBe(true); // incomplete
  await page.type(builder('1', '.rb-value'), 'Ada');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days AND name contains "Ada"');
  await t.waitText('#new-count', /^1$/);
  await t.shot('builder');
  // Any of them instead of all: OR.
  await page.select('#new-builder .rb-group[data-path=""] > .rb-head .rb-op-group', 'or');
  await t.waitText('#new-rule-text', 'lastConversationAt within last 7 days OR name contains "Ada"');
  await t.waitText('#new-count', /^2$/);
  await page.select('#new-builder .rb-group[data-path=""] > .rb-head .rb-op-group', 'and');
  await page.click(builder('1', '.rb-remove'));
  await t.waitText('#new-rule-text', /^lastConversationAt within last 7 days$/);
  await t.waitText('#new-count', /^2$/);
  await page.waitForFunction('!document.querySelector("#new-create").disabled');
  await page.click('#new-create');
  await t.waitText('#segment-name', 'Chatted this week');
  expect(await t.text('#segment-rule')).toBe('lastConversationAt within last 7 days');
  const saved = await api('GET', '/segments');
  const seg = saved.body.items.find((x: { name: string }) => x.name === 'Chatted this week');
  expect(seg.ruleText).toBe('lastConversationAt within last 7 days');
  const size = await eventually(
    async () => (await api('GET', `/segments/${seg._id}`)).body.memberCount as number,
    (n) => n === 2,
  );
  expect(size).toBe(2);
});

test('create and start a campaign for the segment: its message reaches both members', async () => {
  await page.goto(`${origin}/#/campaigns`);
  await page.waitForSelector('#new-campaign');
  await page.type('#camp-name', 'Welcome offer');
  const segId = await t.inPage<string>(
    `[...document.querySelectorAll('#camp-segment option')].find((o) => o.textContent === 'Chatted this week').value`,
  );
  await page.select('#camp-segment', segId);
  await t.fill('#camp-template', 'Hi {{contact.name}}, {{campaign.name}}: 10% off today.');
  await t.waitText('#camp-template-preview', 'Hi Sam Sample, Welcome offer: 10% off today.');
  // The preview for a real member of the audience.
  await page.waitForFunction("document.querySelectorAll('#camp-preview-contact option').length === 3");
  const ada = await t.inPage<string>(
    `[...document.querySelectorAll('#camp-preview-contact option')].find((o) => o.textContent === 'Ada Shopper').value`,
  );
  await page.select('#camp-preview-contact', ada);
  await t.waitText('#camp-template-preview', 'Hi Ada Shopper, Welcome offer: 10% off today.');
  await page.click('#camp-create');
  await page.waitForSelector('#camp-start');
  expect(await t.text('#camp-status')).toBe('draft');
  const mark = channel.received.length;
  await page.click('#camp-start');
  await t.waitText('#camp-status', 'completed', 30_000);
  await t.waitText('#camp-counts .count-sent', '2');
  await page.waitForFunction(
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
  await page.goto(`${origin}/#/campaigns`);
  await t.waitText('#campaigns-table tr[data-campaign="Welcome offer"]', 'completed');
  await t.shot('campaigns');
  expect(await t.text('#campaigns-table tr[data-campaign="Welcome offer"] .count-sent')).toBe('2');
});

test('bind a flow to the segment: the binding is listed under its flow', async () => {
  await page.goto(`${origin}/#/flows`);
  await page.waitForSelector('#bind-create');
  await page.select('#bind-flow', 'welcome');
  const segId = await t.inPage<string>(
    `[...document.querySelectorAll('#bind-segment option')].find((o) => o.textContent === 'Chatted this week').value`,
  );
  await page.select('#bind-segment', segId);
  await page.select('#bind-reentry', 'every');
  await page.type('#bind-dwell', '10m');
  await page.click('#bind-create');
  const row = '.flow[data-flow="welcome"] tr[data-segment="Chatted this week"]';
  await page.waitForSelector(row);
  expect(await t.text(row)).toMatch(/Chatted this week.*enters.*every time.*still in after 10m.*enabled/);
  await t.shot('flows');
  const bindings = (await api('GET', '/flows/bindings')).body.items;
  expect(bindings).toEqual([
    expect.objectContaining({ flowId: 'welcome', segmentName: 'Chatted this week', dwellMs: 600_000 }),
  ]);
});

test('create a segment from typed rule text after its exact count; it is listed with its size', async () => {
  await page.goto(`${origin}/#/segments`);
  await page.waitForSelector('#new-name');
  await page.type('#new-name', 'Console VIPs');
  await page.click('#new-tab-text');
  await page.type('#new-rule', 'tag = "VIP"');
  expect(await t.inPage<boolean>("document.querySelector('#new-create').disabled")).toBe(true); // not counted yet
  await page.waitForFunction("document.querySelector('#new-count')?.textContent === '2'");
  await page.waitForFunction("!document.querySelector('#new-create').disabled");
  await page.click('#new-create');
  await page.waitForSelector('#segment-name');
  expect(await t.text('#segment-name')).toBe('Console VIPs');
  // The rebuild runs in the background: the size follows within moments.
  for (let i = 0; i < 20 && (await t.text('#segment-size')) !== '2'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await page.reload();
    await page.waitForSelector('#segment-size');
  }
  expect(await t.text('#segment-size')).toBe('2');
  await page.waitForFunction("document.querySelectorAll('#members tbody tr').length === 2");
  // A rule edit is previewed with who would enter and exit; nothing is saved yet.
  await page.click('#edit-tab-text');
  await t.fill('#edit-rule', 'tag = "VIP" OR name contains "Nina"');
  await page.waitForFunction("document.querySelector('#edit-preview')?.textContent?.includes('enter')");
  expect(await t.text('#edit-preview')).toBe('Would have 3 members: +1 enter, −0 exit.');
  // Why a member is in: condition by condition.
  await page.click('#members tbody tr button');
  await page.waitForFunction("document.querySelector('#explain-result')?.textContent?.includes('Member')");
  expect(await t.text('#explain-result')).toMatch(/✔ tag = "VIP"/);
  await page.goto(`${origin}/#/segments`);
  await page.waitForSelector('#segments-table tr[data-segment="Console VIPs"]');
  expect(await t.text('#segments-table tr[data-segment="Console VIPs"] td.num')).toBe('2');
  await t.shot('segments');
});

test('reports: labels in words, a compare chart beside the table, dates as 7 Dec 2026', async () => {
  const n = await api('POST', '/segments', { name: 'Everyone named N', rule: 'name starts with "N"' });
  // Compared once built (its first figures are computed on first use, then kept a while).
  await eventually(
    async () => (await api('GET', `/segments/${String(n.body._id)}`)).body.memberCount as number,
    (count) => count === 1,
  );
  await page.goto(`${origin}/#/reports`);
  // The chart is drawn (an image that loaded, not just its element).
  await page.waitForFunction("document.querySelector('#report-chart img')?.naturalWidth > 0");
  for (const name of ['Console VIPs', 'Everyone named N'])
    await page.click(`input[aria-label="compare ${name}"]`);
  await page.click('#compare-button');
  await page.waitForSelector('#compare-chart img');
  await page.waitForFunction("document.querySelector('#compare-chart img').naturalWidth > 0");
  // One row per metric, in words; one column per segment.
  const labels = await t.inPage<string[]>(
    "[...document.querySelectorAll('#compare-table tbody th')].map((e) => e.textContent)",
  );
  expect(labels).toEqual([
    'Members',
    'Average lifetime value',
    'Average lead score',
    'Conversations per member',
    'Handoffs to an agent',
    'Opted out',
    'Campaign delivery rate',
    'Campaign reply rate',
  ]);
  expect(
    await t.inPage<string[]>(
      "[...document.querySelectorAll('#compare-table thead th')].map((e) => e.textContent)",
    ),
  ).toEqual(['Metric', 'Console VIPs', 'Everyone named N']);
  expect(await t.text('#compare-table tr[data-metric="members"]')).toBe('Members21');
  // The chart sits beside the table, not under it.
  const [table, chart] = await t.inPage<number[][]>(
    "['#compare-table', '#compare-chart'].map((s) => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top]; })",
  );
  expect(chart![0]).toBeGreaterThan(table![0]! + 300);
  await page.select('#compare-metric', 'avgLifetimeValue');
  await page.waitForFunction(
    "document.querySelector('#compare-chart img')?.alt === 'Average lifetime value, segments compared'",
  );
  // Dates say the month in words; times carry their zone; no 07/12/2026 anywhere.
  const body = await t.text('main');
  expect(body).toMatch(/as of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
  expect(body).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4} – \d{1,2} [A-Z][a-z]{2} \d{4}/);
  expect(body).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/);
  await t.shot('reports');
});

test('API docs are rendered from the OpenAPI document', async () => {
  await page.goto(`${origin}/#/docs`);
  await page.waitForSelector('#api-docs .op');
  const ops = await t.inPage<string[]>(
    "[...document.querySelectorAll('#api-docs .op')].map((e) => e.firstElementChild?.textContent ?? '')",
  );
  expect(ops.some((t) => /post\s*\/segments\/preview/.test(t))).toBe(true);
  expect(ops.length).toBeGreaterThan(15);
});

test('Web Chat talks to the bot through the built-in Direct Line: the greeting arrives', async () => {
  await page.goto(`${origin}/#/chat`);
  const transcript = () => t.text('#webchat');
  // Joining greets the user (conversationUpdate through /api/messages).
  await page.waitForFunction(
    "document.querySelector('#webchat')?.textContent?.includes('Hello Console User')",
    {
      timeout: 20000,
    },
  );
  await page.waitForSelector('#webchat input[type=text], #webchat textarea');
  await page.type('#webchat input[type=text], #webchat textarea', 'offers');
  await page.keyboard.press('Enter');
  // The bot's answer to "offers" is its own bubble, after the user's (the default offer).
  const botBubbles =
    "[...document.querySelectorAll('#webchat .webchat__bubble:not(.webchat__bubble--from-user)')]";
  await page.waitForFunction(`${botBubbles}.length >= 2`, { timeout: 20000 });
  const said = await t.inPage<string[]>(`${botBubbles}.map((b) => b.textContent)`);
  expect(said).toEqual([
    expect.stringMatching(/^Hello Console User!/),
    expect.stringMatching(/^Today.s offer: 10% off/),
  ]);
  expect(await transcript()).toContain('offers');
  await t.shot('chat');
});

test('no request left the server and the page threw nothing', () => {
  expect(s.outside).toEqual([]);
  expect(s.pageErrors).toEqual([]);
});
