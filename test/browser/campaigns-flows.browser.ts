/**
 * The campaigns and flows pages in a real browser against the whole app and a real channel.
 *
 * Campaigns: one created with every option of the form (audience minus a list, a recurring
 * schedule, a rate, quiet hours) is stored as set, described in words and cancelled; another is
 * started, paused mid-run (nothing more reaches the channel), resumed and completed, its counts
 * and the list's counts follow, and its deliveries filter by status, `unknown` included.
 *
 * Flows: bind a flow to a segment with a re-entry policy, then a contact who enters the segment
 * has an instance, listed per flow and per contact with its state, next wake-up and history;
 * cancel it; disable and enable a binding; a second binding with a cooldown, a dwell and
 * stop-on-exit holds a new member in `dwelling`; a cooldown without its duration is refused.
 */
import { ChannelUser, TestChannel } from '../../bot/cli/channel';
import { eventually, openConsole, pageTools, signIn, type ConsoleSession } from './support';

let s: ConsoleSession;
let t: ReturnType<typeof pageTools>;
let channel: TestChannel;
const ids = new Map<string, string>();
let newcomers = '';
const TIME = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/;

beforeAll(async () => {
  s = await openConsole('campaigns_flows', {
    AGENDA_PROCESS_EVERY_MS: '100',
    FLOW_LOCK_MS: '2000',
    // The welcome flow sends its own first message (so an instance's history shows one sent).
    BOT_WELCOME: 'flow',
  });
  t = pageTools(s.page);
  channel = await TestChannel.start();
  // Five shoppers who chatted with the bot; one shopper who never did (skipped: no conversation).
  for (const name of ['Ann', 'Ben', 'Cal', 'Dee', 'Eve']) {
    const user = new ChannelUser(channel, {
      botUrl: `${s.origin}/api/messages`,
      userId: name,
      userName: name,
    });
    await user.send('hi');
  }
  await s.api('POST', '/contacts', { name: 'Fay', tags: ['shopper'] });
  const all = (await s.api('GET', '/contacts')).body.items as { _id: string; name: string }[];
  for (const c of all) ids.set(c.name, c._id);
  for (const name of ['Ann', 'Ben', 'Cal', 'Dee', 'Eve'])
    await s.api('POST', `/contacts/${ids.get(name)}/tags`, { add: ['shopper'] });
  await s.api('POST', '/segments', { name: 'Shoppers', rule: 'tag = "shopper"' });
  const dnd = await s.api('POST', '/segments', { name: 'Do not disturb', type: 'static' });
  await s.api('POST', `/segments/${String(dnd.body._id)}/members`, { contactIds: [ids.get('Eve')] });
  await eventually(
    async () =>
      (await s.api('GET', '/segments')).body.items.find((x: { name: string }) => x.name === 'Shoppers')
        .memberCount as number,
    (n) => n === 6,
  );
  newcomers = String((await s.api('POST', '/segments', { name: 'Newcomers', rule: 'tag = "new"' })).body._id);
  await signIn(s);
});
afterAll(async () => {
  await channel?.close();
  await s?.close();
});

const optionValue = (select: string, label: string) =>
  t.inPage<string>(
    `[...document.querySelectorAll('${select} option')].find((o) => o.textContent === ${JSON.stringify(label)}).value`,
  );

/** Time inputs take their value as set (typing them depends on the browser's locale). */
const setValue = (selector: string, value: string) =>
  t.inPage(`document.querySelector(${JSON.stringify(selector)}).value = ${JSON.stringify(value)}`);

async function fillNew(name: string) {
  await s.page.goto(`${s.origin}/#/campaigns`);
  await s.page.waitForSelector('#new-campaign');
  await s.page.type('#camp-name', name);
  await s.page.select('#camp-segment', await optionValue('#camp-segment', 'Shoppers'));
  await s.page.select('#camp-exclude', await optionValue('#camp-exclude', 'Do not disturb'));
}

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
    state: string | null;
    nextWakeAt: string | null;
  }[];

describe('campaigns', () => {
  test('every option of the form is stored as set and read back in words; a draft can be cancelled', async () => {
    await fillNew('Weekly digest');
    await s.page.select('#camp-schedule', 'weekly');
    await s.page.select('#camp-weekday', '3');
    await setValue('#camp-time', '09:30');
    await t.fill('#camp-rate', '5');
    await s.page.click('#camp-quiet');
    await setValue('#camp-quiet-start', '22:00');
    await setValue('#camp-quiet-end', '07:00');
    await t.fill('#camp-template', 'This week at the shop, {{contact.name}}.');
    await t.waitText('#camp-template-preview', 'This week at the shop, Sam Sample.');
    await s.page.click('#camp-create');
    await s.page.waitForSelector('#camp-start');
    const stored = (await s.api('GET', '/campaigns')).body.items.find((c: any) => c.name === 'Weekly digest');
    expect(stored).toMatchObject({
      status: 'draft',
      schedule: { kind: 'weekly', weekday: 3, time: '09:30' },
      ratePerSecond: 5,
      quietHours: { start: '22:00', end: '07:00' },
      template: { source: 'This week at the shop, {{contact.name}}.' },
    });
    expect(await t.text('#camp-summary')).toMatch(
      /Shoppers minus Do not disturb.*every Wednesday at 09:30 UTC.*5 messages per second.*22:00–07:00 UTC/,
    );
    expect(await t.texts('#camp-actions button')).toEqual(['Start', 'Cancel']);
    await s.page.click('#camp-cancel');
    await t.waitText('#camp-status', 'cancelled');
    expect(await t.texts('#camp-actions button')).toEqual([]);
  });

  test('start, pause mid-run, resume: the counts follow and nothing is sent while paused', async () => {
    await fillNew('Flash sale');
    await t.fill('#camp-template', 'Flash sale for {{contact.name}}!');
    await t.fill('#camp-rate', '1'); // one a second: time to pause between two messages
    await s.page.click('#camp-create');
    await s.page.waitForSelector('#camp-start');
    const mark = channel.received.length;
    const sent = () => channel.received.slice(mark).filter((a) => a.type === 'message').length;
    await s.page.click('#camp-start');
    await eventually(
      async () => sent(),
      (n) => n >= 1,
      15_000,
    );
    await s.page.click('#camp-pause');
    await t.waitText('#camp-status', 'paused');
    expect(await t.texts('#camp-actions button')).toEqual(['Resume', 'Cancel']);
    // A message already handed to the channel may still land; then nothing more arrives.
    await new Promise((r) => setTimeout(r, 1000));
    const atPause = sent();
    await new Promise((r) => setTimeout(r, 1200));
    expect(sent()).toBe(atPause);
    expect(atPause).toBeLessThan(4);
    await s.page.click('#camp-resume');
    await t.waitText('#camp-status', 'completed', 30_000);
    await t.waitText('#camp-counts .count-sent', '4');
    expect(sent()).toBe(4);
    // Ann..Dee were sent; Eve was excluded; Fay has no conversation: skipped, with why.
    expect(await t.text('#camp-counts tbody tr .count-skipped')).toBe('1');
    await s.page.select('#deliveries-status', 'skipped');
    await s.page.waitForFunction(
      "document.querySelectorAll('#deliveries tbody tr[data-status]').length === 1",
    );
    expect(await t.text('#deliveries tbody tr')).toMatch(/Fay.*skipped.*no conversation reference/);
    await s.page.select('#deliveries-status', 'sent');
    await s.page.waitForFunction(
      'document.querySelectorAll(\'#deliveries tbody tr[data-status="sent"]\').length === 4',
    );
    expect((await t.texts('#deliveries tbody tr td:first-child')).map((x) => x.split(' ')[0]).sort()).toEqual(
      ['Ann', 'Ben', 'Cal', 'Dee'],
    );
  });

  test('deliveries filter by unknown: what a crash between sending and recording leaves', async () => {
    const c = (await s.api('GET', '/campaigns')).body.items.find((x: any) => x.name === 'Flash sale');
    // The state a crash leaves (campaign-crash.test.ts makes it with a real kill): one record the
    // sender claimed and never recorded, turned `unknown` by the recovery. Written here as data.
    const runId = String(c.currentRunId);
    await s.app.conn.db!.collection('campaign_deliveries').insertOne({
      _id: `${runId}:crashed` as never,
      workspaceId: 'default',
      campaignId: c._id,
      runId,
      contactId: 'crashed',
      status: 'unknown',
      reason: 'the process stopped between sending and recording',
      updatedAt: new Date(),
    });
    await s.page.reload();
    await s.page.waitForSelector('#deliveries-status');
    expect(await t.text('#camp-counts tbody tr .count-unknown')).toBe('1');
    expect(
      await t.inPage<string[]>(
        "[...document.querySelectorAll('#deliveries-status option')].map((o) => o.value)",
      ),
    ).toEqual(['', 'pending', 'sending', 'sent', 'failed', 'skipped', 'unknown']);
    await s.page.select('#deliveries-status', 'unknown');
    await s.page.waitForFunction(
      "document.querySelectorAll('#deliveries tbody tr[data-status]').length === 1",
    );
    expect(await t.text('#deliveries tbody tr')).toMatch(/crashed.*unknown.*between sending and recording/);
    await s.page.select('#deliveries-status', 'failed');
    await t.waitText('#deliveries', 'No failed deliveries.');
    // The list shows each campaign's status and counts.
    await s.page.goto(`${s.origin}/#/campaigns`);
    const row = '#campaigns-table tr[data-campaign="Flash sale"]';
    await t.waitText(row, 'completed');
    expect(await t.texts(`${row} td.num`)).toEqual(['6', '4', '0', '1', '1']);
    await t.waitText('#campaigns-table tr[data-campaign="Weekly digest"]', 'cancelled');
    await t.shot('campaigns-list');
  });
});

describe('flows', () => {
  test('bind a flow; a contact who enters has an instance: by flow, by contact, with its history', async () => {
    await s.page.goto(`${s.origin}/#/flows`);
    await s.page.waitForSelector('#bind-create');
    expect(await t.text('.flow[data-flow="welcome"]')).toContain('Not bound');
    await s.page.select('#bind-flow', 'welcome');
    await s.page.select('#bind-segment', newcomers);
    await s.page.click('#bind-create');
    const row = '.flow[data-flow="welcome"] tr[data-segment="Newcomers"]';
    await s.page.waitForSelector(row);
    expect(await t.text(row)).toMatch(
      /Newcomers.*enters.*once per contact.*at once.*runs to the end.*enabled/,
    );

    const flo = await newcomer('Flo');
    // Started, its first message sent, waiting a day for the next.
    await eventually(
      () => instancesOf(`contactId=${flo}`),
      (i) => i[0]?.state === 'hello' && Boolean(i[0]?.nextWakeAt),
    );
    await s.page.select('#inst-flow', 'welcome');
    const inst = '#instances-table tbody tr[data-status="running"]';
    await s.page.waitForSelector(inst);
    expect((await t.texts(`${inst} td`)).slice(0, 4)).toEqual(['Welcome sequence', flo, 'running', 'hello']);
    // Waiting a day for the next message: the wake-up is a time with its zone.
    expect(await t.text(`${inst} td.next-wake`)).toMatch(TIME);
    await s.page.click(`${inst} button`);
    await t.waitText('#instance', 'Welcome sequence for');
    expect(await t.text('#instance')).toMatch(/running · state hello · next wake-up .* UTC/);
    // What started it, the message it sent (Flo chatted: it reached her) and the wait.
    expect(await t.texts('#instance ol.history li')).toEqual([
      expect.stringMatching(/ UTC triggered entered "Newcomers"/),
      expect.stringMatching(/ UTC sendMessage welcome-1 \(sent\)$/),
      expect.stringMatching(/ UTC wait until /),
    ]);
    // Per contact: the contact's link, and the contact's email or id typed in.
    await s.page.click(`${inst} td a`);
    await s.page.waitForFunction(`location.hash === '#/flows/contacts/${flo}'`);
    await s.page.waitForSelector(inst);
    expect(await t.inPage<string>("document.querySelector('#inst-contact').value")).toBe(flo);
  });

  test('cancel an instance still under way', async () => {
    await s.page.click('#instances-table tbody tr[data-status="running"] button');
    await s.page.waitForSelector('#inst-cancel');
    await s.page.click('#inst-cancel');
    await s.page.waitForSelector('#instances-table tbody tr[data-status="cancelled"]');
    await t.waitText('#instance', 'cancelled');
    expect(await t.visible('#inst-cancel')).toBe(false);
    const [cancelled] = await instancesOf(`flowId=welcome`);
    expect(cancelled?.status).toBe('cancelled');
    // An instance has its own address (its id holds a colon).
    await s.page.goto(`${s.origin}/#/flows/instances/${encodeURIComponent(cancelled!.id)}`);
    await t.waitText('#instance', 'Welcome sequence for');
    expect(await t.text('#instance .badge')).toBe('cancelled');
    await s.page.goto(`${s.origin}/#/flows`);
    await s.page.waitForSelector('.flow[data-flow="welcome"] tr[data-segment="Newcomers"] button');
  });

  test('disable and enable a binding: a disabled binding starts nothing', async () => {
    const toggle = '.flow[data-flow="welcome"] tr[data-segment="Newcomers"] button';
    await s.page.click(toggle);
    await t.waitText('.flow[data-flow="welcome"] tr[data-segment="Newcomers"]', 'disabled');
    const gus = await newcomer('Gus');
    await eventually(
      async () => (await s.api('GET', `/segments/${newcomers}`)).body.memberCount as number,
      (n) => n === 2,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the dispatcher has had its chance
    expect(await instancesOf(`contactId=${gus}`)).toEqual([]);
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
    const hal = await newcomer('Hal');
    await eventually(
      () => instancesOf(`contactId=${hal}`),
      (i) => i.some((x) => x.flowId === 'retention' && x.status === 'dwelling'),
    );
    // Found by the contact's email.
    await s.api('PATCH', `/contacts/${hal}`, { email: 'hal@example.com' });
    await t.fill('#inst-contact', 'hal@example.com');
    await s.page.click('#inst-find');
    await s.page.waitForSelector('#instances-table tbody tr[data-status="dwelling"]');
    expect(await t.texts('#instances-table tbody tr td:first-child')).toEqual(
      expect.arrayContaining(['Retention outreach', 'Welcome sequence']),
    );
    await t.shot('flows-instances');
  });
});

describe('afterwards', () => {
  test('no request left the server and the page threw nothing', () => {
    expect(s.outside).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
