/** Issue 13 fix 7: matching survives format characters and full-width letters; opt-out is generous. */
import { canonicalText, commandText, normalise, optOutIntent } from '../../../bot/text';

test.each([
  ['\u200bhello\u200b', 'hello'],
  ['\u200e/help\u200f', 'help'],
  ['ｈｅｌｌｏ！', 'hello'],
  ['\u2066STOP\u2069', 'stop'],
  ['  Hello,   World! ', 'hello, world'],
])('normalise(%j) = %j', (input, out) => {
  expect(normalise(input)).toBe(out);
});

test('canonicalText keeps punctuation inside and folds full-width slashes', () => {
  expect(canonicalText('\ufeff／ｓｅｇｍｅｎｔｓ')).toBe('/segments');
});

test('commandText folds typographic double quotes (phone keyboards) and keeps apostrophes', () => {
  expect(commandText('\u200b/segment show \u201cVIP Customers\u201d')).toBe('/segment show "VIP Customers"');
  expect(commandText('/campaign create \u201eA\u201c to "B" say "It\u2019s here"')).toBe(
    '/campaign create "A" to "B" say "It\u2019s here"',
  );
});

test.each([
  'stop',
  'STOP!',
  '\u200bstop\u200e',
  'ｓｔｏｐ',
  'please stop sending me messages',
  'Stop sending me messages please',
  'stop messaging me',
  'unsubscribe me',
  'Unsubscribe',
  'opt out',
  'no more messages please',
  'leave me alone',
  "don't text me again",
  'I want to unsubscribe',
  'remove me from your list',
])('%j is an opt-out', (text) => {
  expect(optOutIntent(text)).toBe('out');
});

test.each(['start', 'Subscribe me again', 'opt in'])('%j opts back in', (text) => {
  expect(optOutIntent(text)).toBe('in');
});

test.each([
  'stop the car',
  'cancel my order',
  'why do you stop sending offers to my friend?',
  'hello',
  'I will not stop buying',
])('%j is not an opt-out', (text) => {
  expect(optOutIntent(text)).toBeUndefined();
});
