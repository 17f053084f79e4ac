/**
 * One template, three surfaces: a bot greeting, a campaign message and a workflow message render
 * the same text for the same contact, because they share one data shape and one Handlebars setup.
 * (Before, a campaign had no `firstName` and a workflow had no traits: the same text failed or
 * printed blanks depending on where it ran.)
 */
import pino from 'pino';
import { Personaliser } from '../../../bot/personalise';
import type { TurnInfo } from '../../../bot/contracts';
import { compileTemplate, sampleContact } from '../../../src/domain/campaigns/template';
import { templateContact } from '../../../src/domain/templates';
import { templateRenderer } from '../../../src/infra/flows/templates';
import { compile } from '../../../src/domain/templates';

const SOURCE =
  'Hi {{contact.firstName}} <{{contact.email}}>, {{contact.lifetimeValue}} spent' +
  '{{#if contact.custom.city}} in {{contact.custom.city}}{{/if}}{{#each contact.tags}} #{{this}}{{/each}}';
const contact = { ...sampleContact(), name: 'Ann Lee', lifetimeValue: 7200, custom: { city: 'Oslo' }, tags: ['vip'] };
const EXPECTED = 'Hi Ann <sam@example.com>, 7200 spent in Oslo #vip';

test('the same template renders the same text in a bot reply, a campaign and a workflow', () => {
  const bot = Personaliser.fromSources(
    { greetings: { default: SOURCE }, offers: { default: 'offer' } },
    pino({ level: 'silent' }),
  );
  const info = { contact, segments: [], roles: [], workspaceId: 'w', channelId: 'c', userId: 'u' } as TurnInfo;
  expect(bot.greeting(info)).toBe(EXPECTED);
  expect(compileTemplate(SOURCE)({ contact, campaign: { name: 'Spring' } })).toBe(EXPECTED);
  expect(templateRenderer(new Map([['t', compile(SOURCE)]]))('t', contact)).toBe(EXPECTED);
});

test('internal fields are not part of the shape; text fields are always present', () => {
  const shape = templateContact({ ...contact, email: undefined, phone: undefined });
  for (const hidden of ['_id', 'workspaceId', 'identities', 'segments', 'version', 'nextRecheckAt'])
    expect(shape).not.toHaveProperty(hidden);
  expect(shape).toMatchObject({ email: '', phone: '', firstName: 'Ann', name: 'Ann Lee' });
  expect(() => compile('{{contact._id}}')({ contact: shape, segment: null })).toThrow(/"_id" not defined/);
});
