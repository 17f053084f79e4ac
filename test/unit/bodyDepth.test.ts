import { nestsDeeperThan } from '../../src/infra/http/bodyDepth';

const nest = (n: number) => '{"a":'.repeat(n) + '[1]' + '}'.repeat(n);

test.each([
  ['[]', 1, false],
  ['[[]]', 1, true],
  [nest(63), 64, false],
  [nest(64), 64, true],
  ['['.repeat(100_000) + ']'.repeat(100_000), 64, true],
  // Brackets in strings, escaped quotes included, do not count.
  [JSON.stringify({ s: '[[[[{{{{' }), 2, false],
  [JSON.stringify({ s: 'say \\"[[[[" and [[[[' }), 2, false],
  [JSON.stringify({ s: '\\' }) + '[[[', 2, true],
  // Separate NDJSON lines each start at depth 0.
  [`${nest(40)}\n${nest(40)}\n`, 64, false],
  ['{"n": "é [[[["}', 1, false],
])('case %#, as text and as UTF-8 bytes', (text, max, deeper) => {
  expect(nestsDeeperThan(text, max)).toBe(deeper);
  expect(nestsDeeperThan(Buffer.from(text, 'utf8'), max)).toBe(deeper);
});
