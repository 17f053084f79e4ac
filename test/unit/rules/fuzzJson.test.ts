/**
 * Fuzzing validateRule: whatever the JSON, it throws only RuleValidationError, and whatever it
 * accepts is canonical and round-trips through the text form.
 */
import fc from 'fast-check';
import type { Rule } from '../../../src/rules/ast';
import { RuleValidationError } from '../../../src/rules/errors';
import { formatRule } from '../../../src/rules/format';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';
import { arbRule } from '../../support/ruleArbitrary';

/** validateRule(json): a RuleValidationError, or a rule that is canonical and round-trips. */
function checkJson(json: unknown): void {
  let rule: Rule;
  try {
    rule = validateRule(json);
  } catch (e) {
    if (!(e instanceof RuleValidationError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    return;
  }
  expect(validateRule(rule)).toEqual(rule);
  expect(parseRule(formatRule(rule))).toEqual(rule);
}

/** Every (container, key) in a JSON tree, so a mutation can hit any of them. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out);
    });
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      out.push([o, k]);
      slots(o[k], out);
    }
  }
  return out;
}

describe('validateRule fuzzing: only RuleValidationError', () => {
  test('1,000 random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), checkJson), { numRuns: 1000 });
  });

  test('1,000 valid rules with one part replaced, removed or added', () => {
    const arb = fc.tuple(
      arbRule({ maxDepth: 4 }),
      fc.nat(),
      fc.constantFrom('set', 'delete', 'add'),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(arb, ([rule, pick, action, replacement]) => {
        const json = JSON.parse(JSON.stringify(rule)) as unknown;
        const all = slots(json);
        const slot = all[pick % Math.max(all.length, 1)];
        if (slot) {
          const [container, key] = slot;
          const c = container as Record<string | number, unknown>;
          if (action === 'set') c[key] = replacement;
          else if (action === 'delete' && !Array.isArray(container)) delete c[key];
          else if (!Array.isArray(container)) {
            // An own "__proto__" key, as JSON.parse makes it; or a plain unknown key.
            const extra = pick % 2 ? '__proto__' : 'extra';
            Object.defineProperty(c, extra, {
              value: replacement,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else if (pick % 3 === 0) c[key] = { __proto__: replacement };
          else container.push(replacement);
        }
        checkJson(json);
      }),
      { numRuns: 1000 },
    );
  });
});
