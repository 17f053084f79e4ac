/**
 * The flows page in a real browser against the whole app and a real channel: bind a flow to a
 * segment with a re-entry policy, then a contact who enters the segment has an instance, listed
 * per flow and per contact with its state, next wake-up and history; cancel it; disable and
 * enable a binding; a second binding with a cooldown, a dwell and stop-on-exit holds a new
 * member in `dwelling`; a cooldown without its duration is refused and nothing is bound.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { eventually, openConsole, pageTools, signIn, type ConsoleSession } from './support';

let s: ConsoleSession;
let t: ReturnType<typeof pageTools>;
let channel: TestChannel;
let newcomers = '';
const TIME = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/;

beforeAll(async () => {
  s = await openConsole('flows_ui', { AGENDA_PROCESS_EVERY_MS: '100', FLOW_LOCK_MS: '2000' });
  t = pageTools(s.page);
  channel = await TestChannel.start();
  newcomers = String((await s.api('POST', '/segments', { name: 'Newcomers', rule: 'tag = "new"' })).body._id);
  await signIn(s);
});
afterAll(async () => {
  await channel?.close();
  await s?.close();
});

/** Someone who chats with the bot (so flow messages reach them), tagged `new` to enter Newcomers. */
async function newcomer(name: string): Promise<string> {
  await new ChannelUser(channel, { botUrl: `${s.origin}/api/messages`, userId: name, userName: name }).send(
    'hi',
  );
  const id = ((await s.api('GET', '/contacts?limit=200')).body.items as { _id: string; name: string }[]).find(
    (c) => c.name === name,
  )!._id;
  await s.api('POST', `/contacts/${id}/tags`, { add: ['new'] });
  return id;
}

const instancesOf = async (q: string) =>
  (await s.api('GET', `/flows/instances?${q}`)).body.items as {
    id: string;
    status: string;
    flowId: string;
  }[];

test('bind a flow; a contact who enters has an instance: by flow, by contact, with its history', async () => {
  await s.page.goto(`${s.origin}/#/flows`);
  await s.page.waitForSelector('#bind-create');
  expect(await t.text('.flow[data-flow="welcome"]')).toContain('Not bound');
  await s.page.select('#bind-flow', 'welcome');
  await s.page.select('#bind-segment', newcomers);
  await s.page.click('#bind-create');
  const row = '.flow[data-flow="welcome"] tr[data-segment="Newcomers"]';
  await s.page.waitForSelector(row);
  expect(await t.text(row)).toMatch(/Newcomers.*enters.*once per contact.*at once.*runs to the end.*enabled/);

  const ann = await newcomer('Ann');
  await eventually(
    () => instancesOf(`contactId=${ann}`),
    (i) => i[0]?.status === 'running',
  );
  await s.page.select('#inst-flow', 'welcome');
  const inst = '#instances-table tbody tr[data-status="running"]';
  await s.page.waitForSelector(inst);
  expect((await t.texts(`${inst} td`)).slice(0, 4)).toEqual(['Welcome sequence', ann, 'running', 'hello']);
  // Waiting a day for the next message: the wake-up is a time with its zone.
  expect(await t.text(`${inst} td.next-wake`)).toMatch(TIME);
  await s.page.click(`${inst} button`);
  await t.waitText('#instance', 'Welcome sequence for');
  expect(await t.text('#instance')).toMatch(/running · state hello · next wake-up .* UTC/);
  // What started it, the message it sent (Ann chatted: it reached her) and the wait.
  expect(await t.texts('#instance ol.history li')).toEqual([
    expect.stringMatching(/ UTC triggered entered "Newcomers"/),
    expect.stringMatching(/ UTC sendMessage welcome-1 \(sent\)$/),
    expect.stringMatching(/ UTC wait until /),
  ]);
  // Per contact: the contact's link, and the contact's email or id typed in.
  await s.page.click(`${inst} td a`);
  await s.page.waitForFunction(`location.hash === '#/flows/contacts/${ann}'`);
  await s.page.waitForSelector(inst);
  expect(await t.inPage<string>("document.querySelector('#inst-contact').value")).toBe(ann);
});

test('cancel an instance still under way', async () => {
  await s.page.click('#instances-table tbody tr[data-status="running"] button');
  await s.page.waitForSelector('#inst-cancel');
  await s.page.click('#inst-cancel');
  await s.page.waitForSelector('#instances-table tbody tr[data-status="cancelled"]');
  await t.waitText('#instance', 'cancelled');
  expect(await t.visible('#inst-cancel')).toBe(false);
  expect((await instancesOf(`flowId=welcome`)).map((i) => i.status)).toEqual(['cancelled']);
});

test('disable and enable a binding: a disabled binding starts nothing', async () => {
  const toggle = '.flow[data-flow="welcome"] tr[data-segment="Newcomers"] button';
  await s.page.click(toggle);
  await t.waitText('.flow[data-flow="welcome"] tr[data-segment="Newcomers"]', 'disabled');
  const ben = await newcomer('Ben');
  await eventually(
    async () => (await s.api('GET', `/segments/${newcomers}`)).body.memberCount as number,
    (n) => n === 2,
  );
  await new Promise((r) => setTimeout(r, 1500)); // the dispatcher has had its chance
  expect(await instancesOf(`contactId=${ben}`)).toEqual([]);
  await s.page.click(toggle);
  await t.waitText('.flow[data-flow="welcome"] tr[data-segment="Newcomers"] td:nth-child(6)', /^enabled/);
  const bindings = (await s.api('GET', '/flows/bindings')).body.items as { enabled: boolean }[];
  expect(bindings.map((b) => b.enabled)).toEqual([true]);
});

test('a cooldown, a dwell and stop-on-exit; a cooldown without its duration is refused', async () => {
  await s.page.select('#bind-flow', 'retention');
  await s.page.select('#bind-segment', newcomers);
  await s.page.select('#bind-reentry', 'cooldown');
  await s.page.type('#bind-dwell', '1h');
  await s.page.click('#bind-stop');
  await s.page.click('#bind-create');
  await t.waitText('#bind', 'give the cooldown duration');
  expect((await s.api('GET', '/flows/bindings')).body.items).toHaveLength(1);
  await s.page.type('#bind-cooldown', '7d');
  await s.page.click('#bind-create');
  const row = '.flow[data-flow="retention"] tr[data-segment="Newcomers"]';
  await s.page.waitForSelector(row);
  expect(await t.text(row)).toMatch(
    /Newcomers.*enters.*at most once per 7d.*still in after 1h.*stops when they leave.*enabled/,
  );
  // A new member waits out the dwell before the retention flow starts.
  const cy = await newcomer('Cy');
  await eventually(
    () => instancesOf(`contactId=${cy}`),
    (i) => i.some((x) => x.flowId === 'retention' && x.status === 'dwelling'),
  );
  // Found by the contact's email.
  await s.api('PATCH', `/contacts/${cy}`, { email: 'cy@example.com' });
  await t.fill('#inst-contact', 'cy@example.com');
  await s.page.click('#inst-find');
  await s.page.waitForSelector('#instances-table tbody tr[data-status="dwelling"]');
  expect(await t.texts('#instances-table tbody tr td:first-child')).toEqual(
    expect.arrayContaining(['Retention outreach', 'Welcome sequence']),
  );
  await t.shot('flows-instances');
});

test('no request left the server and the page threw nothing', () => {
  expect(s.outside).toEqual([]);
  expect(s.pageErrors).toEqual([]);
});
