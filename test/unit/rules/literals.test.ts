/** The shared meaning of literals: date spans, relative windows, text patterns. */
import { dateSpan, literalPattern, relativeMs, textPattern } from '../../../src/rules/semantics';

test.each([
  ['2025-06-15', '2025-06-15T00:00:00.000Z', '2025-06-16T00:00:00.000Z'],
  ['2024-02-29', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
  ['2025-06-15T10:20:30Z', '2025-06-15T10:20:30.000Z', '2025-06-15T10:20:30.001Z'],
  ['2025-06-15T10:20:30.5Z', '2025-06-15T10:20:30.500Z', '2025-06-15T10:20:30.501Z'],
  ['0099-01-01', '0099-01-01T00:00:00.000Z', '0099-01-02T00:00:00.000Z'],
])('%s spans [%s, %s)', (literal, start, end) => {
  expect(dateSpan(literal)).toEqual({ start: Date.parse(start), end: Date.parse(end) });
});

test.each(['2025-02-29', '2025-13-01', '2025-06-15T24:00:00Z', '2025-06-15 10:00', '15/06/2025', ''])(
  '%j is not a date literal',
  (literal) => expect(dateSpan(literal)).toBeUndefined(),
);

test('relative windows are whole days and hours of ms', () => {
  expect(relativeMs({ amount: 30, unit: 'days' })).toBe(30 * 86_400_000);
  expect(relativeMs({ amount: 2, unit: 'hours' })).toBe(7_200_000);
});

test.each([
  ['a.b', false, 'a\\.b'],
  ['Ab1', true, '[Aa][Bb]1'],
  ['(x)*', true, '\\([Xx]\\)\\*'],
  ['\u0000\n', false, '\\x00\\x0a'],
  ['\u{10400}', true, '(?:\u{10400}|\u{10428})'],
  ['a\u2028b', false, 'a[\\s\\S]b'],
])('literalPattern(%j, caseless=%s)', (text, caseless, pattern) => {
  expect(literalPattern(text, !caseless)).toBe(pattern);
  expect(new RegExp(`^${pattern}$`).test(text)).toBe(true);
});

test('every text pattern is anchored where its operator says and means the literal', () => {
  expect(textPattern('equals', 'a', false)).toBe('^[Aa](?![\\s\\S])');
  expect(textPattern('starts with', 'A', true)).toBe('^a');
  expect(textPattern('ends with', 'a', true)).toBe('a(?![\\s\\S])');
  expect(textPattern('contains', 'a$', true)).toBe('a\\$');
});
