/**
 * The rule builder in a real browser against the whole app. Every kind of condition is put
 * together with the builder's own controls (text, email domain, created in the last N days, tags,
 * a custom field the workspace has and one it does not, a number range, conversations in a
 * window, asked about an intent, membership of a segment and of a list, NOT on a condition and
 * on a group, nested AND/OR groups), and the rule text it writes is the text the API takes and
 * stores. Rule text typed by hand opens back in the builder and prints back unchanged, for each
 * rule kind; a wrong rule names its line and column; the preview waits for a pause in typing.
 */
import { openConsole, pageTools, signIn, type ConsoleSession } from './support';

let s: ConsoleSession;
let t: ReturnType<typeof pageTools>;

beforeAll(async () => {
  s = await openConsole('builder');
  t = pageTools(s.page);
  const contacts = [
    {
      name: 'Vera',
      email: 'vera@acme.com',
      tags: ['VIP', 'beta'],
      custom: { plan: 'pro', seats: 3, trial: true },
    },
    { name: 'Victor', email: 'victor@acme.com', tags: ['VIP'], custom: { plan: 'free', seats: 10 } },
    { name: 'Nina', email: 'nina@other.org', custom: { plan: 'enterprise' } },
  ];
  const ids: string[] = [];
  for (const c of contacts) ids.push(String((await s.api('POST', '/contacts', c)).body._id));
  await s.api('POST', '/segments', { name: 'VIP', rule: 'tag = "VIP"' });
  const list = await s.api('POST', '/segments', { name: 'Newsletter', type: 'static' });
  await s.api('POST', `/segments/${String(list.body._id)}/members`, { contactIds: [ids[2]] });
  await signIn(s);
});
afterAll(async () => {
  await s?.close();
});

const cond = (path: string, part: string) => `#new-builder .rb-cond[data-path="${path}"] > ${part}`;
const head = (path: string, part: string) => `#new-builder .rb-group[data-path="${path}"] > .rb-head ${part}`;
const ruleText = () => t.text('#new-rule-text');

test('every kind of condition from the builder controls writes the rule text the API takes', async () => {
  const expectText = (text: string) => t.waitText('#new-rule-text', new RegExp(`^${literally(text)}$`));
  // Email domain.
  await s.page.select(cond('0', '.rb-field'), 'emailDomain');
  await s.page.type(cond('0', '.rb-value'), 'acme.com');
  await expectText('emailDomain = "acme.com"');
  await t.waitText('#new-count', /^2$/);
  // Created in the last 30 days.
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('1', '.rb-field'), 'createdAt');
  await s.page.select(cond('1', '.rb-op'), 'within last');
  await t.fill(cond('1', 'input[aria-label="amount"]'), '30');
  await expectText('emailDomain = "acme.com" AND createdAt within last 30 days');
  // A tag, offered from the tags in use, negated.
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('2', '.rb-field'), 'tags');
  expect(
    await t.inPage<string[]>("[...document.querySelectorAll('#new-tags option')].map((o) => o.value)"),
  ).toEqual(['VIP', 'beta']);
  await s.page.type(cond('2', '.rb-value'), 'beta');
  await s.page.click(cond('2', '.rb-check input'));
  await expectText('emailDomain = "acme.com" AND createdAt within last 30 days AND NOT tag = "beta"');
  await t.waitText('#new-count', /^1$/);
  // A custom field the workspace has (its values are text) and one it does not have yet.
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('3', '.rb-field'), 'custom.plan');
  expect(
    await t.inPage<string[]>(
      `[...document.querySelectorAll('${cond('3', '.rb-op')} option')].map((o) => o.value)`,
    ),
  ).toEqual([
    '=',
    '!=',
    'contains',
    'not contains',
    'starts with',
    'ends with',
    'in',
    'not in',
    'exists',
    'not exists',
  ]);
  await s.page.select(cond('3', '.rb-op'), 'in');
  await s.page.type(cond('3', '.rb-value'), 'free\npro');
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('4', '.rb-field'), 'custom.');
  await s.page.type(cond('4', '.rb-key'), 'region');
  await s.page.type(cond('4', '.rb-value'), 'EU');
  await expectText(
    'emailDomain = "acme.com" AND createdAt within last 30 days AND NOT tag = "beta" AND custom.plan in ("free", "pro") AND custom.region = "EU"',
  );
  await t.waitText('#new-count', /^0$/);
  // Remove the region again; a nested group: a trait range OR conversations in a window, negated.
  await s.page.click(cond('4', '.rb-remove'));
  await s.page.click(head('', '.rb-add-group'));
  await s.page.select(cond('4.0', '.rb-field'), 'lifetimeValue');
  await s.page.select(cond('4.0', '.rb-op'), 'between');
  await s.page.type(cond('4.0', 'input[aria-label="low"]'), '100');
  await s.page.type(cond('4.0', 'input[aria-label="high"]'), '500');
  await s.page.click(head('4', '.rb-add'));
  await s.page.select(cond('4.1', '.rb-field'), 'conversations');
  await t.fill(cond('4.1', 'input[aria-label="count"]'), '3');
  await s.page.click(head('4', '.rb-check input'));
  await expectText(
    'emailDomain = "acme.com" AND createdAt within last 30 days AND NOT tag = "beta" AND custom.plan in ("free", "pro") AND NOT (lifetimeValue between 100 and 500 OR conversations in last 7 days >= 3)',
  );
  await t.waitText('#new-count', /^1$/);
  // Asked about an intent; membership of a segment and of a list.
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('5', '.rb-field'), 'intents');
  await s.page.select(cond('5', '.rb-intent'), 'refund');
  await s.page.select(cond('5', '.rb-op'), '<');
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('6', '.rb-field'), 'segment');
  await s.page.select(cond('6', '.rb-segment'), 'VIP');
  await s.page.click(head('', '.rb-add'));
  await s.page.select(cond('7', '.rb-field'), 'list');
  expect(
    await t.inPage<string[]>(
      `[...document.querySelectorAll('${cond('7', '.rb-segment')} option')].map((o) => o.value)`,
    ),
  ).toEqual(['', 'Newsletter']);
  await s.page.select(cond('7', '.rb-segment'), 'Newsletter');
  await s.page.click(cond('7', '.rb-check input'));
  const full =
    'emailDomain = "acme.com" AND createdAt within last 30 days AND NOT tag = "beta" AND custom.plan in ("free", "pro") AND NOT (lifetimeValue between 100 and 500 OR conversations in last 7 days >= 3) AND asked about "refund" fewer than 1 time in last 7 days AND in segment "VIP" AND NOT in segment "Newsletter"';
  await expectText(full);
  await t.waitText('#new-count', /^1$/);
  expect(await t.text('#new-sample')).toContain('Victor');
  // Saved, it is stored as that text, and its page opens it in the builder again.
  await s.page.type('#new-name', 'Built');
  await s.page.waitForFunction('!document.querySelector("#new-create").disabled');
  await s.page.click('#new-create');
  await t.waitText('#segment-name', 'Built');
  const saved = (await s.api('GET', '/segments')).body.items.find(
    (x: { name: string }) => x.name === 'Built',
  );
  expect(saved.ruleText).toBe(full);
  await t.waitText('#edit-rule-text', full);
  expect(
    await t.inPage<string>(
      `document.querySelector('#edit-builder .rb-cond[data-path="7"] > .rb-field').value`,
    ),
  ).toBe('list');
  await t.shot('builder-edit');
});

/** Rule text of every kind, canonical, typed by hand: it opens in the builder and prints back. */
const TYPED = [
  'name contains "Smith"',
  'emailDomain in ("acme.com", "other.org")',
  'createdAt within last 30 days',
  'updatedAt before 2026-12-07',
  'createdAt on 2026-02-28',
  'tag has any of ("VIP", "beta")',
  'NOT tag = "VIP"',
  'custom.plan in ("pro", "enterprise")',
  'custom.seats between 1 and 5',
  'custom.seats = 3',
  'custom.trial is true',
  'lifetimeValue > 5000 OR (leadScore >= 50 AND NOT openDeals = 0)',
  'conversations in last 7 days >= 3',
  'asked about "refund" at least 2 times in last 14 days',
  'handoff open',
  'waited for an agent more than 10 minutes',
  'optedOut is false',
  'in segment "VIP" AND NOT in segment "Newsletter"',
  'NOT (tag = "VIP" OR custom.plan = "pro")',
  '(phone exists)',
];

test('typed rule text of every kind opens in the builder and prints back unchanged', async () => {
  await s.page.goto(`${s.origin}/#/segments`);
  await s.page.waitForSelector('#new-tab-text');
  for (const text of TYPED) {
    await s.page.click('#new-tab-text');
    await t.fill('#new-rule', text);
    await s.page.click('#new-to-builder');
    await s.page.waitForFunction("!document.querySelector('#new-builder').hidden");
    expect([text, await ruleText()]).toEqual([text, text]);
    expect(
      await t.inPage<number>("document.querySelectorAll('#new-builder .rb-cond.incomplete').length"),
    ).toBe(0);
  }
  // The builder's text goes to the Text tab as it is.
  await s.page.click('#new-tab-text');
  expect(await t.inPage<string>("document.querySelector('#new-rule').value")).toBe('(phone exists)');
});

test('a wrong rule names its line and column and stays as typed', async () => {
  await t.fill('#new-rule', 'leadScore >\n  "high"');
  await s.page.click('#new-to-builder');
  await t.waitText('#new-preview', /line 2, column 3/);
  expect(await t.visible('#new-rule')).toBe(true);
  expect(await t.inPage<string>("document.querySelector('#new-rule').value")).toBe('leadScore >\n  "high"');
});

test('the preview waits for a pause: typing a word asks once or twice, not per key', async () => {
  await s.page.reload();
  await s.page.waitForSelector('#new-builder .rb-cond');
  await s.page.select(cond('0', '.rb-op'), 'contains');
  await t.waitText('#new-preview', 'needs a text');
  let previews = 0;
  const count = (r: { url(): string }) => void (r.url().endsWith('/segments/preview') && previews++);
  s.page.on('request', count);
  await s.page.type(cond('0', '.rb-value'), 'Victor', { delay: 30 });
  await t.waitText('#new-count', /^1$/);
  s.page.off('request', count);
  expect(previews).toBeGreaterThanOrEqual(1);
  expect(previews).toBeLessThanOrEqual(2);
});

test('no request left the server and the page threw nothing', () => {
  expect(s.outside).toEqual([]);
  expect(s.pageErrors).toEqual([]);
});

function literally(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
