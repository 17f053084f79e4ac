/**
 * Issue 13 fix 9: CI runs the README's test command (`npm test`, which builds and type-checks
 * before jest) with the JSON reporter, not `npx jest` directly, and still ends with the counts.
 */
import fs from 'node:fs';
import path from 'node:path';

const script = fs.readFileSync(path.join(__dirname, '../../.ci/run'), 'utf8');
const commands = script.split('\n').filter((l) => !l.trimStart().startsWith('#'));

test('.ci/run calls npm test with the JSON reporter, never jest directly', () => {
  expect(commands.join('\n')).toMatch(/^npm test -- --ci --json --outputFile="\$results"/m);
  expect(commands.join('\n')).not.toMatch(/\bnpx jest\b|node_modules\/\.bin\/jest/);
});

test('the README documents npm test as the test command', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(readme).toMatch(/^npm test\s/m);
});

test('.ci/run still closes with "N passed, N failed"', () => {
  expect(script).toContain("' passed, ' + failed + ' failed");
});
