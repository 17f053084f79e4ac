/**
 * Every chat command in the running app: `node dist/src/main.js` as a child process (on the run's
 * embedded database), driven through /api/messages by a local Bot Framework channel, as each role:
 * customers (welcome, personalised replies, stop/start, asking for a person, writing while
 * queued), an agent (/queue, /accept, relaying, /end, /inbox) and an admin (segments, lists,
 * contacts, reports, campaigns, flows). Roles come from BOT_ADMINS and BOT_AGENTS. One server for
 * the file: the cases run in order and build on each other (the people and segments they made).
 * Last, every command the help lists must have been exercised, with bad input too.
 */

import { eventually } from '../../support/flowWait';
import { adminCases } from './admin';
import { campaignCases } from './campaigns';
import { helpKeys, keyOf } from './coverage';
import { customerCases } from './customer';
import { flowCases } from './flows';
import { handoffCases } from './handoff';
import { ChatServer } from './harness';

jest.setTimeout(60_000);

let s: ChatServer;
const server = () => s;

beforeAll(async () => {
  s = await ChatServer.start();
  // The built-in flows are bound by segment name (FLOWS_BUILT_IN defaults to true): these two
  // exist from the start, so a new person enters "New This Week" and a VIP "VIP Customers".
  for (const body of [
    { name: 'New This Week', rule: 'createdAt within last 7 days' },
    { name: 'VIP Customers', rule: 'tag = "VIP"', priority: 100, routing: true },
  ])
    expect((await s.api('POST', '/segments', body)).status).toBe(201);
}, 90_000);
afterAll(async () => {
  await s?.stop();
});

customerCases(server);
handoffCases(server);
adminCases(server);
campaignCases(server);
flowCases(server);

test('an activity of an unknown type is answered 200, changes nothing, and is logged at debug', async () => {
  const cara = s.user('cara', 'Cara');
  const before = await s.contact('Cara');
  const r = await cara.post({ type: 'somethingNew', text: 'hello?' });
  expect(r.status).toBe(200);
  expect(r.replies).toEqual([]);
  const logged = await eventually(
    () => s.proc.output(),
    (out) =>
      /"level":20,.*"type":"somethingNew".*"msg":"bot: ignored an activity of an unknown type"/.test(out),
    5000,
  );
  expect(logged).toMatch(/"msg":"bot: ignored an activity of an unknown type"/);
  expect(await s.contact('Cara')).toEqual(before);
});

test('the server logged no error, and no warning but the expected ones, during the whole suite', () => {
  const lines = s.proc.output().split('\n');
  expect(lines.filter((line) => /^\{"level":(50|60),/.test(line))).toEqual([]);
  // Expected: running without bot authentication, and the customer's two refused commands. Not
  // expected: "some agents not notified" because Amy's bare id also names a channel she never used.
  const warnings = lines.filter((line) => line.startsWith('{"level":40,'));
  expect(warnings.map((w) => /"msg":"([^"]{0,40})/.exec(w)?.[1])).toEqual([
    'UNAUTHENTICATED BOT: MICROSOFT_APP_ID is',
    'bot: admin command refused',
    'bot: agent command refused',
  ]);
});

test('every command the help lists was run, and given bad input, by this suite', () => {
  const keys = helpKeys(s.helps);
  // The three roles' help together: 24 admin commands, 4 agent ones, 5 customer words.
  expect(keys.size).toBeGreaterThanOrEqual(33);
  const checked = (check: 'ran' | 'usage') =>
    new Set(s.sent.filter((x) => x.check === check).map((x) => keyOf(x.text, keys)));
  const ran = checked('ran');
  expect([...keys].filter((k) => !ran.has(k))).toEqual([]);
  // Help always helps, and a customer's words are words: only commands have a usage to give.
  const bad = checked('usage');
  const needBadInput = [...keys].filter((k) => k.startsWith('/') && k !== '/help');
  expect(needBadInput.filter((k) => !bad.has(k))).toEqual([]);
});
