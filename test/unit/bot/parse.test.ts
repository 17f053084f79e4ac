/** Admin command parsing: every form and every mistake is a row. */
import { ALL_USAGE, parseCommand, USAGE, type AdminCommand } from '../../../bot/admin/parse';

const SEGMENT_USAGES = Object.entries(USAGE)
  .filter(([k]) => k.startsWith('segment.'))
  .map(([, u]) => u)
  .join('\n');
const LIST_USAGES = [USAGE['list.create'], USAGE['list.add'], USAGE['list.remove']].join('\n');

const VIP_RULE = 'lifetimeValue > 5000 OR tag = "VIP"';

const good: [string, AdminCommand][] = [
  ['/help', { kind: 'help' }],
  ['  /HELP  ', { kind: 'help' }],
  ['/segments', { kind: 'segments' }],
  ['/segment show VIP Customers', { kind: 'segment.show', name: 'VIP Customers' }],
  ['/segment show "VIP Customers"', { kind: 'segment.show', name: 'VIP Customers' }],
  [
    `/segment create "VIP Customers" where ${VIP_RULE}`,
    { kind: 'segment.create', name: 'VIP Customers', rule: VIP_RULE },
  ],
  [`/Segment CREATE "VIP" WHERE ${VIP_RULE}`, { kind: 'segment.create', name: 'VIP', rule: VIP_RULE }],
  [
    `/segment create VIP Customers where ${VIP_RULE}`,
    { kind: 'segment.create', name: 'VIP Customers', rule: VIP_RULE },
  ],
  [
    '/segment create "Multi" where leadScore > 1\nAND openDeals > 0',
    { kind: 'segment.create', name: 'Multi', rule: 'leadScore > 1\nAND openDeals > 0' },
  ],
  ['/segment preview leadScore > 80', { kind: 'segment.preview', rule: 'leadScore > 80' }],
  [
    '/segment update "VIP" where leadScore > 90',
    { kind: 'segment.update', name: 'VIP', rule: 'leadScore > 90' },
  ],
  ['/segment delete "At Risk"', { kind: 'segment.delete', name: 'At Risk' }],
  ['/segment delete At Risk', { kind: 'segment.delete', name: 'At Risk' }],
  [
    '/segment why ann@example.com "VIP Customers"',
    { kind: 'segment.why', contact: 'ann@example.com', name: 'VIP Customers' },
  ],
  ['/segment why 65f0c0ffee VIP', { kind: 'segment.why', contact: '65f0c0ffee', name: 'VIP' }],
  ['/list create "Beta Testers"', { kind: 'list.create', name: 'Beta Testers' }],
  [
    '/list add "Beta Testers" ann@example.com',
    { kind: 'list.add', name: 'Beta Testers', contact: 'ann@example.com' },
  ],
  [
    '/list add Beta Testers ann@example.com',
    { kind: 'list.add', name: 'Beta Testers', contact: 'ann@example.com' },
  ],
  ['/list remove "Beta" 65f0c0ffee', { kind: 'list.remove', name: 'Beta', contact: '65f0c0ffee' }],
  ['/contact ann@example.com', { kind: 'contact', contact: 'ann@example.com' }],
];

test.each(good)('%j parses', (text, command) => {
  expect(parseCommand(text)).toEqual({ ok: true, command });
});

const bad: [string, RegExp, string][] = [
  ['/frobnicate', /^Unknown command "\/frobnicate"/, ALL_USAGE],
  ['/', /^Unknown command "\/"/, ALL_USAGE],
  ['/segment', /^Which segment command\?/, SEGMENT_USAGES],
  ['/segment rename "A" "B"', /^Unknown segment command "rename"/, SEGMENT_USAGES],
  ['/list', /^Which list command\?/, LIST_USAGES],
  ['/list drop "A"', /^Unknown list command "drop"/, LIST_USAGES],
  ['/segments VIP', /^\/segments takes nothing after it/, `Usage: ${USAGE.segments}`],
  ['/segment show', /Which segment/, `Usage: ${USAGE['segment.show']}`],
  ['/segment create', /name in double quotes/, `Usage: ${USAGE['segment.create']}`],
  ['/segment create "VIP"', /after "where"/, `Usage: ${USAGE['segment.create']}`],
  ['/segment create "VIP" where   ', /after "where"/, `Usage: ${USAGE['segment.create']}`],
  ['/segment create "" where leadScore > 1', /name in double quotes/, `Usage: ${USAGE['segment.create']}`],
  ['/segment update "VIP" leadScore > 1', /after "where"/, `Usage: ${USAGE['segment.update']}`],
  ['/segment preview', /rule to preview/, `Usage: ${USAGE['segment.preview']}`],
  ['/segment delete', /Which segment/, `Usage: ${USAGE['segment.delete']}`],
  ['/segment why ann@example.com', /a contact, then a segment/, `Usage: ${USAGE['segment.why']}`],
  ['/list create', /Give the list a name/, `Usage: ${USAGE['list.create']}`],
  ['/list add "Beta"', /one contact/, `Usage: ${USAGE['list.add']}`],
  ['/list add ann@example.com', /one contact/, `Usage: ${USAGE['list.add']}`],
  ['/list remove "Beta" ann bob', /one contact/, `Usage: ${USAGE['list.remove']}`],
  ['/contact', /Name one contact/, `Usage: ${USAGE.contact}`],
  ['/contact ann bob', /Name one contact/, `Usage: ${USAGE.contact}`],
];

test.each(bad)('%j is answered with usage', (text, message, usage) => {
  const r = parseCommand(text);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.message).toMatch(message);
  expect(r.usage).toBe(usage);
});

test('the full usage lists every command and a valid example', () => {
  for (const u of Object.values(USAGE)) expect(ALL_USAGE).toContain(u);
  expect(ALL_USAGE).toContain(`/segment create "VIP Customers" where ${VIP_RULE}`);
});
