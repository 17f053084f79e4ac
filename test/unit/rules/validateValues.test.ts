import { jc as c, range } from './build';
import { problems } from './expectError';

const long = 'x'.repeat(1001);
const within = (value: unknown) => c('createdAt', 'within last', value);

describe('validateRule checks each value against its operator, with the path', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['an operator object', c('leadScore', '=', { $gt: 1 }), 'value', /^expected a number, found an object$/],
    ['the wrong type', c('leadScore', '>', '5'), 'value', /^expected a number, found a string$/],
    ['missing', c('leadScore', '>'), 'value', /found nothing$/],
    ['given where none is taken', c('name', 'exists', null), 'value', /^this operator takes no value$/],
    ['an infinite number', c('leadScore', '>', Infinity), 'value', /finite/],
    ['NaN', c('leadScore', '>', NaN), 'value', /finite/],
    ['a string too long', c('name', '=', long), 'value', /^string too long: at most 1000 characters$/],
    [
      'a boolean for custom =',
      c('custom.x', '=', true),
      'value',
      /^expected a string or a number, found true$/,
    ],
    [
      'between backwards',
      c('leadScore', 'between', [5, 1]),
      'value[1]',
      /^expected high >= low \(5\), found 1$/,
    ],
    ['between of one', c('leadScore', 'between', [1]), 'value', /found a list of 1$/],
    ['between of strings', c('leadScore', 'between', ['1', 2]), 'value[0]', /found a string$/],
    ['an empty list', c('leadScore', 'in', []), 'value', /^expected at least one value/],
    [
      'a list too long',
      c('leadScore', 'in', range(1001)),
      'value',
      /^too many values: at most 1000, found 1001$/,
    ],
    [
      'a mixed list',
      c('custom.x', 'in', ['a', 1]),
      'value[1]',
      /^expected all strings or all numbers, found a number/,
    ],
    ['objects in a list', c('custom.x', 'not in', [{ $ne: 1 }]), 'value[0]', /found an object$/],
    ['strings in a number list', c('leadScore', 'in', [1, 'a']), 'value[1]', /^expected a number/],
    ['numbers in a tag list', c('tags', 'has any of', ['a', 2]), 'value[1]', /^expected a string/],
    ['a long string in a list', c('name', 'in', ['a', long]), 'value[1]', /too long/],
    ['an impossible day', c('createdAt', 'before', '2026-02-30'), 'value', /not a real date/],
    ['29 February 2023', c('createdAt', 'on', '2023-02-29'), 'value', /not a real date/],
    ['an instant for on', c('createdAt', 'on', '2026-01-15T00:00:00Z'), 'value', /"on" takes a whole day/],
    ['an instant without Z', c('createdAt', 'after', '2026-01-15T10:00:00'), 'value', /not a real date/],
    [
      'an instant with offset',
      c('createdAt', 'after', '2026-01-15T10:00:00+01:00'),
      'value',
      /not a real date/,
    ],
    ['hour 24', c('createdAt', 'after', '2026-01-15T24:00:00Z'), 'value', /not a real date/],
    ['a date as a number', c('createdAt', 'after', 1736899200000), 'value', /found a number$/],
    ['relative not an object', within(7), 'value', /^expected \{amount, unit\}, found a number$/],
    ['zero amount', within({ amount: 0, unit: 'days' }), 'value.amount', /found 0$/],
    ['fractional amount', within({ amount: 1.5, unit: 'days' }), 'value.amount', /found 1.5$/],
    ['huge amount', within({ amount: 100001, unit: 'hours' }), 'value.amount', /1 to 100000/],
    ['amount as a string', within({ amount: '1', unit: 'hours' }), 'value.amount', /found a string$/],
    ['bad unit', within({ amount: 1, unit: 'weeks' }), 'value.unit', /found "weeks"$/],
    ['extra relative key', within({ amount: 1, unit: 'days', $gt: 1 }), 'value.$gt', /^unknown key$/],
    ['an empty segment name', c('segment', 'in segment', ''), 'value', /^expected a non-empty string$/],
  ])('%s', (_name, input, path, message) => {
    const found = problems(input);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe(path);
    expect(found[0]?.message).toMatch(message);
  });
});
