/** Contact input validation: each class of error, reported at its exact path. No I/O. */
import { parseOrThrow } from '../../../src/domain/contacts/parse';
import { changeTags, dedupeTags } from '../../../src/domain/contacts/tags';
import { toCustomValue } from '../../../src/domain/contacts/custom';
import {
  contactInputSchema,
  contactPatchSchema,
  tagChangeSchema,
} from '../../../src/domain/contacts/validation';
import { ValidationError } from '../../../src/errors';
import type { z } from 'zod';

function errorOf(schema: z.ZodType, input: unknown): ValidationError {
  try {
    parseOrThrow(schema, input);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`expected a ValidationError for ${JSON.stringify(input)}`);
}

const cases: [string, unknown, string, RegExp][] = [
  ['body not an object', [1], '', /JSON object/],
  ['unknown field', { nmae: 'x' }, 'nmae', /nrecognized/],
  ['email malformed', { email: 'not-an-email' }, 'email', /valid address/],
  ['email object (operator)', { email: { $gt: '' } }, 'email', /must be a string/],
  ['externalId empty', { externalId: '   ' }, 'externalId', /must not be empty/],
  ['externalId operator', { externalId: { $ne: null } }, 'externalId', /must be a string/],
  ['name too long', { name: 'x'.repeat(201) }, 'name', /at most 200/],
  ['phone letters', { phone: 'call me' }, 'phone', /digits/],
  ['tag not string', { tags: ['ok', 5] }, 'tags.1', /must be a string/],
  ['tag too long', { tags: ['x'.repeat(65)] }, 'tags.0', /at most 64/],
  ['tag empty', { tags: ['  '] }, 'tags.0', /must not be empty/],
  ['too many tags', { tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 'tags', /at most 100/],
  ['custom key with dot', { custom: { 'a.b': 1 } }, 'custom.a.b', /key must be/],
  ['custom key with $', { custom: { $gt: 1 } }, 'custom.$gt', /key must be/],
  ['custom key constructor', { custom: { constructor: 1 } }, 'custom.constructor', /reserved/],
  ['custom value object', { custom: { plan: { $gt: '' } } }, 'custom.plan', /string, finite number/],
  ['custom value array', { custom: { plan: ['a'] } }, 'custom.plan', /string, finite number/],
  ['custom string too long', { custom: { note: 'x'.repeat(1001) } }, 'custom.note', /at most 1000/],
  ['custom bad date', { custom: { d: '2024-02-30' } }, 'custom.d', /ISO date/],
  [
    'custom too many keys',
    { custom: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) },
    'custom',
    /at most 100/,
  ],
  ['optedOut string', { optedOut: 'yes' }, 'optedOut', /true or false/],
  ['leadScore > 100', { leadScore: 101 }, 'leadScore', /0 to 100/],
  [
    'identity missing userId',
    { identities: [{ channelId: 'web' }] },
    'identities.0.userId',
    /must be a string/,
  ],
];

test.each(cases)('%s → 400', (_label, input, path, problem) => {
  const err = errorOf(contactInputSchema, input);
  expect(err.code).toBe('VALIDATION_FAILED');
  expect(err.status).toBe(400);
  expect(err.details?.path).toBe(path);
  expect(String(err.details?.problem)).toMatch(problem);
});

test('__proto__ as a custom key is refused (JSON.parse makes it an own key)', () => {
  const err = errorOf(contactInputSchema, JSON.parse('{"custom":{"__proto__":{"polluted":true}}}'));
  expect(err.details?.path).toBe('custom.__proto__');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('valid input is normalised: email lower-case, tags trimmed, ISO strings become dates', () => {
  const v = parseOrThrow(contactInputSchema, {
    email: ' Ann@Example.COM ',
    tags: [' VIP '],
    custom: { since: '2024-05-01', at: '2024-05-01T10:00:00+02:00', n: 3, b: false, z: null, s: 'x' },
  });
  expect(v.email).toBe('ann@example.com');
  expect(v.tags).toEqual(['VIP']);
  expect(v.custom).toEqual({
    since: new Date('2024-05-01T00:00:00Z'),
    at: new Date('2024-05-01T08:00:00Z'),
    n: 3,
    b: false,
    z: null,
    s: 'x',
  });
});

test('patch accepts null to clear optional fields; tag change checks both lists', () => {
  expect(parseOrThrow(contactPatchSchema, { email: null, leadScore: null })).toEqual({
    email: null,
    leadScore: null,
  });
  expect(errorOf(tagChangeSchema, { remove: [{}] }).details?.path).toBe('remove.0');
});

test('tags dedupe case-insensitively keeping the first spelling', () => {
  expect(dedupeTags(['VIP', 'vip', 'Beta', 'BETA', 'x'])).toEqual(['VIP', 'Beta', 'x']);
  expect(changeTags(['VIP', 'old'], ['vip', 'New'], ['OLD'])).toEqual(['VIP', 'New']);
});

test('custom values: finite numbers only, strings up to 1000', () => {
  expect(toCustomValue(Number.NaN)).toEqual({ ok: false, problem: 'number must be finite' });
  expect(toCustomValue('x'.repeat(1000))).toEqual({ ok: true, value: 'x'.repeat(1000) });
});
