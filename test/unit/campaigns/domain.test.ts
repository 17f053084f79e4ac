/** The campaign domain's pure parts: schedules, quiet hours, templates, input and lifecycle. */
import { parseCampaignCommand } from '../../../bot/admin/campaigns';
import { parseCampaignInput } from '../../../src/domain/campaigns/input';
import { checkAction } from '../../../src/domain/campaigns/lifecycle';
import { firstOccurrence, nextOccurrence, quietUntil } from '../../../src/domain/campaigns/schedule';
import { compileTemplate, sampleContact } from '../../../src/domain/campaigns/template';
import type { Schedule } from '../../../src/domain/campaigns/types';

const d = (iso: string) => new Date(iso);

/** The error `fn` throws (the test fails when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

test.each<[Schedule, string, string | null]>([
  [{ kind: 'daily', time: '09:30' }, '2026-03-02T08:00:00Z', '2026-03-02T09:30:00.000Z'],
  [{ kind: 'daily', time: '09:30' }, '2026-03-02T09:30:00Z', '2026-03-03T09:30:00.000Z'], // strictly after
  [{ kind: 'daily', time: '00:00' }, '2026-12-31T23:59:00Z', '2027-01-01T00:00:00.000Z'],
  [{ kind: 'weekly', weekday: 1, time: '10:00' }, '2026-03-02T10:00:00Z', '2026-03-09T10:00:00.000Z'], // a Monday
  [{ kind: 'weekly', weekday: 0, time: '10:00' }, '2026-03-02T10:00:00Z', '2026-03-08T10:00:00.000Z'],
  [{ kind: 'at', at: d('2026-03-05T00:00:00Z') }, '2026-03-02T00:00:00Z', '2026-03-05T00:00:00.000Z'],
  [{ kind: 'at', at: d('2026-03-05T00:00:00Z') }, '2026-03-05T00:00:00Z', null],
  [{ kind: 'now' }, '2026-03-02T00:00:00Z', null],
])('next occurrence of %j after %s is %s', (schedule, after, expected) => {
  expect(nextOccurrence(schedule, d(after))?.toISOString() ?? null).toBe(expected);
});

test('the first occurrence: now, a future instant, or the next time of day', () => {
  const now = d('2026-03-02T12:00:00Z');
  expect(firstOccurrence({ kind: 'now' }, now)).toEqual(now);
  expect(firstOccurrence({ kind: 'at', at: d('2026-03-01T00:00:00Z') }, now)).toEqual(now);
  expect(firstOccurrence({ kind: 'daily', time: '11:00' }, now)).toEqual(d('2026-03-03T11:00:00Z'));
});

test.each([
  [{ start: '22:00', end: '07:00' }, '2026-03-02T23:30:00Z', '2026-03-03T07:00:00.000Z'],
  [{ start: '22:00', end: '07:00' }, '2026-03-02T03:00:00Z', '2026-03-02T07:00:00.000Z'],
  [{ start: '22:00', end: '07:00' }, '2026-03-02T07:00:00Z', undefined],
  [{ start: '22:00', end: '07:00' }, '2026-03-02T21:59:00Z', undefined],
  [{ start: '12:00', end: '13:00' }, '2026-03-02T12:30:00Z', '2026-03-02T13:00:00.000Z'],
  [undefined, '2026-03-02T12:30:00Z', undefined],
])('quiet hours %j at %s: wait until %s', (quiet, now, until) => {
  expect(quietUntil(quiet, d(now))?.toISOString()).toBe(until);
});

test('templates: rendered without escaping; typos, bad syntax and empty text are TEMPLATE_INVALID', () => {
  const render = compileTemplate(
    'Hi {{contact.name}} & co{{#if contact.custom.city}} in {{contact.custom.city}}{{/if}}!',
  );
  expect(render({ contact: { ...sampleContact(), name: '<Ann>' }, campaign: { name: 'x' } })).toBe(
    'Hi <Ann> & co!',
  );
  for (const [source, message] of [
    ['Hi {{contact.nmae}}', /fails for a sample contact: "nmae" not defined/],
    ['Hi {{#if}}', /does not compile/],
    ['{{> partial}}', /partial/],
    ['   ', /empty/],
    ['{{#if contact.custom.x}}only{{/if}}', /renders as empty/],
  ] as const) {
    expect(thrown(() => compileTemplate(source))).toMatchObject({
      code: 'TEMPLATE_INVALID',
      message: expect.stringMatching(message) as unknown,
    });
  }
});

test('input: defaults, and the first bad field named', () => {
  const ok = parseCampaignInput({ name: ' Spring ', audience: { segment: 'VIP' }, template: { text: 'Hi' } });
  expect(ok).toEqual({
    name: 'Spring',
    audience: { segment: 'VIP' },
    template: { text: 'Hi' },
    schedule: { kind: 'now' },
    ratePerSecond: 50,
  });
  const at = parseCampaignInput({ ...ok, schedule: { kind: 'at', at: '2030-01-01T10:00:00+02:00' } });
  expect(at.schedule).toEqual({ kind: 'at', at: d('2030-01-01T08:00:00Z') });
  for (const [patch, field] of [
    [{ name: 'a"b' }, 'name'],
    [{ audience: { segment: { $ne: 1 } } }, 'audience.segment'],
    [{ template: { text: 'x', file: 'y' } }, 'template'],
    [{ template: { file: '../etc/passwd' } }, 'template.file'],
    [{ schedule: { kind: 'weekly', weekday: 7, time: '10:00' } }, 'schedule.weekday'],
    [{ quietHours: { start: '22:00', end: '22:00' } }, 'quietHours'],
    [{ ratePerSecond: 1.5 }, 'ratePerSecond'],
  ] as const) {
    expect(thrown(() => parseCampaignInput({ ...ok, ...patch }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field },
    });
  }
});

test('lifecycle: allowed actions pass, others are CAMPAIGN_STATE', () => {
  expect(() => checkAction('A', 'start', 'draft')).not.toThrow();
  expect(() => checkAction('A', 'pause', 'running')).not.toThrow();
  expect(thrown(() => checkAction('A', 'resume', 'running'))).toMatchObject({
    code: 'CAMPAIGN_STATE',
    status: 409,
  });
  expect(() => checkAction('A', 'cancel', 'completed')).toThrow(/is completed: it cannot cancel/);
  expect(() => checkAction('A', 'start', 'paused')).toThrow(/cannot start/);
});

test.each([
  [
    'create',
    '"Spring" to "VIP Customers" say "Hi {{contact.name}}!"',
    { kind: 'campaign.create', name: 'Spring', segment: 'VIP Customers', text: 'Hi {{contact.name}}!' },
  ],
  [
    'create',
    '"Spring" to "VIP" say Hello there',
    { kind: 'campaign.create', name: 'Spring', segment: 'VIP', text: 'Hello there' },
  ],
  ['pause', '"Spring"', { kind: 'campaign.pause', name: 'Spring' }],
  ['start', 'Spring sale', { kind: 'campaign.start', name: 'Spring sale' }],
  ['status', '', { kind: 'campaign.status' }],
  ['status', '"Spring"', { kind: 'campaign.status', name: 'Spring' }],
])('/campaign %s %s', (sub, rest, command) => {
  expect(parseCampaignCommand(sub, rest)).toEqual({ ok: true, command });
});

test.each([
  ['create', '"Spring" to VIP say hi', /Usage: \/campaign create/],
  ['create', '"Spring" to "VIP"', /Usage: \/campaign create/],
  ['cancel', '', /Usage: \/campaign cancel/],
  ['launch', '"x"', /\/campaign start/],
])('/campaign %s %s is a usage answer', (sub, rest, usage) => {
  const r = parseCampaignCommand(sub, rest);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.usage).toMatch(usage);
});
