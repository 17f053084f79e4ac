/** Greeting and offer by segment, through the bot (TestAdapter), and the fallback on a template error. */
import path from 'node:path';
import { createConversationHandler, HELP_TEXT } from '../../../bot/conversation';
import { Personaliser, type TemplateSources } from '../../../bot/personalise';
import { botWith, info, repliesTo, segment, silentLog } from './harness';

const sources = (): TemplateSources => ({
  greetings: {
    default: 'Hello {{contact.name}}! {{offer.text}}',
    'vip-customers': 'Welcome back, VIP {{contact.name}}! {{offer.text}}',
    'at-risk': 'We miss you, {{contact.name}}. {{offer.text}}',
    broken: 'Hi {{contact.noSuchField}}',
  },
  offers: { default: 'Default offer.', 'vip-customers': 'VIP offer for {{offer.segment}}.' },
});

const VIP = segment('VIP Customers', 100);
const AT_RISK = segment('At Risk', 10);
const NO_TEMPLATE = segment('No Template', 500);

test.each([
  ['no segments', [], 'Hello Ann! Default offer.'],
  ['VIP only', [VIP], 'Welcome back, VIP Ann! VIP offer for VIP Customers.'],
  ['VIP above At Risk', [NO_TEMPLATE, VIP, AT_RISK], 'Welcome back, VIP Ann! VIP offer for VIP Customers.'],
  ['At Risk: its greeting, the default offer', [NO_TEMPLATE, AT_RISK], 'We miss you, Ann. Default offer.'],
])('greets by the highest-priority segment with a template: %s', async (_, segments, expected) => {
  const p = Personaliser.fromSources(sources(), silentLog());
  const { adapter } = botWith([createConversationHandler({ personaliser: p })], () => info({ segments }));
  expect(await repliesTo(adapter, 'Hello!')).toEqual([expected]);
});

test('a template that fails at render time falls back to the default and is logged', async () => {
  const log = silentLog();
  const p = Personaliser.fromSources(sources(), log);
  const segments = [segment('Broken', 1000), VIP];
  const { adapter } = botWith(
    [createConversationHandler({ personaliser: p })],
    () => info({ segments }),
    log,
  );
  expect(await repliesTo(adapter, 'hi')).toEqual(['Hello Ann! VIP offer for VIP Customers.']);
  expect(log.error).toHaveBeenCalledWith(
    expect.objectContaining({ template: 'greetings/broken.hbs', contactId: 'c1' }),
    'bot: template failed',
  );
});

test('a segment template that does not compile is skipped at start-up; a broken default stops it', () => {
  const log = silentLog();
  const s = sources();
  s.greetings['vip-customers'] = 'Hi {{#if}}';
  const p = Personaliser.fromSources(s, log);
  expect(p.pick('greetings', { segments: [VIP] })).toBe('default');
  expect(log.error).toHaveBeenCalled();
  expect(() => Personaliser.fromSources({ ...s, offers: { 'vip-customers': 'x' } }, log)).toThrow(/default/);
});

test('when the bot greets: first turn of a new contact, hi/hello/hey/menu, a join; else help', async () => {
  const p = Personaliser.fromSources(sources(), silentLog());
  let newContact = true;
  const { adapter } = botWith([createConversationHandler({ personaliser: p })], () => info({ newContact }));
  expect(await repliesTo(adapter, 'what can you do')).toEqual(['Hello Ann! Default offer.']);
  newContact = false;
  for (const word of ['hi', 'Hello!', 'HEY', 'menu'])
    expect(await repliesTo(adapter, word)).toEqual(['Hello Ann! Default offer.']);
  expect(await repliesTo(adapter, 'offers')).toEqual(['Default offer.']);
  expect(await repliesTo(adapter, 'help')).toEqual([HELP_TEXT]);
  expect(await repliesTo(adapter, 'what can you do')).toEqual([`I didn't catch that. ${HELP_TEXT}`]);
  const before = adapter.activeQueue.length;
  await adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [{ id: 'user1', name: 'Ann' }] });
  expect(adapter.activeQueue.slice(before).map((a) => a.text)).toEqual(['Hello Ann! Default offer.']);
});

test('the shipped templates load, with a greeting and an offer for each seed segment', async () => {
  const p = await Personaliser.load(path.join(__dirname, '../../../templates'), silentLog());
  for (const slug of ['vip-customers', 'inactive-30-days', 'high-intent', 'new-this-week', 'at-risk']) {
    const segments = [segment(slug, 1, { slug })];
    expect(p.pick('greetings', { segments })).toBe(slug);
    expect(p.pick('offers', { segments })).toBe(slug);
    expect(p.greeting(info({ segments }))).toContain(p.offer(info({ segments })));
  }
  expect(p.greeting(info({ contact: { ...info().contact, name: '' } }))).toMatch(/^Hello! /);
});
