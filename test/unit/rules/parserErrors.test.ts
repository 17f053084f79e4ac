import { expectSyntaxError } from './expectError';
import { FIELD_HINT, operatorsAsText } from '../../../src/rules/syntax';

const A = 'leadScore > 1';

describe('parseRule: errors in fields and operators', () => {
  test.each<[string, string, string, string | RegExp]>([
    ['empty input', '', '1:1', 'expected a condition or "(", found end of rule'],
    ['blank input', '  \n  ', '2:3', /found end of rule$/],
    ['unknown field', 'foo > 1', '1:1', `expected ${FIELD_HINT}, found "foo"`],
    ['unknown field, line 2', `${A} AND\n  fooBar = 2`, '2:3', /found "fooBar"$/],
    ['field in the wrong case', 'leadscore > 1', '1:1', /\(did you mean leadScore\?\), found "leadscore"$/],
    ['segment as a field', 'segment = "x"', '1:1', /did you mean in segment "Name"/],
    ['dotted custom key', 'custom.a.b = 1', '1:1', /found "custom.a.b"$/],
    ['custom __proto__', 'custom.__proto__ exists', '1:1', /found "custom.__proto__"$/],
    ['operator-like field', '$where = 1', '1:1', /found "\$where"$/],
    [
      'operator for another type',
      'name > 5',
      '1:6',
      /^expected "=", "!=", .* or "not exists" after "name" \(a string field\), found ">"$/,
    ],
    ['operator not for dates', 'createdAt = "x"', '1:11', /\(a date field\), found "="$/],
    ['operator not for tags', 'tag contains "x"', '1:5', /found "contains"$/],
    ['unknown operator word', 'name likes "x"', '1:6', /found "likes"$/],
    ['missing operator', 'name', '1:5', /found end of rule$/],
    [
      'not + something else',
      'name not like "x"',
      '1:10',
      'expected "contains", "in" or "exists" after "not", found "like"',
    ],
    [
      'is without true/false',
      'optedOut is yes',
      '1:13',
      'expected "true" or "false" after "is", found "yes"',
    ],
    ['in without segment', 'in "x"', '1:4', 'expected "segment" after "in", found string "x"'],
  ])('%s', (_name, text, where, message) => {
    expectSyntaxError(text, where, message);
  });

  test('expected lists the field hint or the operators allowed', () => {
    expect(expectSyntaxError('foo > 1', '1:1', /foo/).expected).toBe(FIELD_HINT);
    expect(expectSyntaxError('name > 5', '1:6', /name/).expected).toEqual(operatorsAsText('string'));
    expect(expectSyntaxError('tag > 5', '1:5', /tag/).expected).toEqual([
      '"="',
      '"!="',
      '"has"',
      '"has any of"',
      '"has all of"',
      '"has none of"',
    ]);
  });
});

describe('parseRule: errors in values and literals', () => {
  test.each<[string, string, string, string | RegExp]>([
    ['missing value', 'leadScore >', '1:12', 'expected a number after ">", found end of rule'],
    ['word for a number', 'leadScore > abc', '1:13', 'expected a number after ">", found "abc"'],
    ['string for a number', 'lifetimeValue > "5"', '1:17', 'expected a number, found a string'],
    ['number for a string', 'name = 5', '1:8', 'expected a string, found a number'],
    [
      'date for a string',
      'name = 2026-01-01',
      '1:8',
      'expected a string in double quotes after "=", found "2026-01-01"',
    ],
    ['unterminated string', 'name = "Smith', '1:8', /^unterminated string: expected a closing "/],
    ['string across lines', 'name = "a\nb"', '1:8', /^unterminated string/],
    ['backslash at the end', 'name = "a\\', '1:8', /^unterminated string/],
    ['unknown escape', 'name = "a\\qb"', '1:10', 'bad escape "\\\\q" in string'],
    ['short \\u escape', 'name = "\\u12G4"', '1:9', 'bad escape "\\\\u12G4" in string'],
    ['malformed number', 'leadScore > 1.2.3', '1:13', 'malformed number "1.2.3"'],
    ['number glued to a word', 'leadScore > 5abc', '1:13', 'malformed number "5abc"'],
    ['number out of range', 'leadScore > 1e999', '1:13', 'number out of range: 1e999'],
    [
      'impossible date',
      'createdAt before 2026-02-30',
      '1:18',
      /found "2026-02-30" \(not a real date and time\)$/,
    ],
    ['short date', 'createdAt before 2026-1-5', '1:18', /found "2026-1-5"/],
    ['instant for on', 'createdAt on 2026-01-15T10:00:00Z', '1:14', /"on" takes a whole day/],
    ['instant with offset', 'createdAt after 2026-01-15T10:00:00+01:00', '1:17', /not a real date/],
    [
      'word for a date',
      'createdAt after yesterday',
      '1:17',
      /^expected a date such as 2026-01-15 or .* after "after"/,
    ],
    ['between backwards', 'leadScore between 5 and 1', '1:25', 'expected high >= low (5), found 1'],
    [
      'between without and',
      'leadScore between 5 6',
      '1:21',
      /^expected "and" between the low and high values/,
    ],
    [
      'zero days',
      'createdAt within last 0 days',
      '1:23',
      'expected a whole number from 1 to 100000, found 0',
    ],
    ['fractional days', 'createdAt within last 1.5 days', '1:23', /found 1.5$/],
    [
      'bad unit',
      'createdAt within last 7 weeks',
      '1:25',
      'expected "days", "hours" or "minutes", found "weeks"',
    ],
    ['missing ago', 'createdAt more than 7 days', '1:27', /^expected "ago"/],
    ['empty segment name', 'in segment ""', '1:12', 'expected a non-empty string'],
    ['empty list', 'tag has any of ()', '1:17', 'expected a string in double quotes, found ")"'],
    ['list without (', 'leadScore in 1', '1:14', /^expected "\(" and a list of numbers after "in"/],
    ['list missing )', 'leadScore in (1, 2', '1:19', 'expected "," or ")" in the list, found end of rule'],
    ['mixed list', 'custom.a in ("x", 1)', '1:19', /^expected all strings or all numbers/],
    ['string too long', `name = "${'x'.repeat(1001)}"`, '1:8', /^string too long/],
    ['unexpected character', `${A} & openDeals > 0`, '1:15', 'unexpected character "&"'],
    ['unexpected character after CRLF', `${A}\r\nAND # > 1`, '2:5', 'unexpected character "#"'],
    ['columns count characters', 'name = "日本😀" AND foo > 1', '1:18', /found "foo"$/],
  ])('%s', (_name, text, where, message) => {
    expectSyntaxError(text, where, message);
  });
});
