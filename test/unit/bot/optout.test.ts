/** Opt-out through the bot: stop/unsubscribe and start patch `optedOut` and confirm. */
import { createOptOutHandler } from '../../../bot/conversation';
import { botWith, contact, info, repliesTo } from './harness';

test.each([
  ['stop', true, /^You're unsubscribed/],
  ['Unsubscribe.', true, /^You're unsubscribed/],
  ['START', false, /^You're subscribed again/],
])('%j sets optedOut to %s with a confirmation', async (text, optedOut, reply) => {
  const patch = jest.fn(async () => contact({ optedOut }));
  const { adapter } = botWith([createOptOutHandler({ contacts: { patch } })], () => info());
  expect(await repliesTo(adapter, text)).toEqual([expect.stringMatching(reply)]);
  expect(patch).toHaveBeenCalledWith('ws', 'c1', { optedOut });
});

test('other words are not opt-out', async () => {
  const patch = jest.fn();
  const { adapter } = botWith([createOptOutHandler({ contacts: { patch } })], () => info());
  expect(await repliesTo(adapter, 'stop it please')).toEqual([]);
  expect(patch).not.toHaveBeenCalled();
});
