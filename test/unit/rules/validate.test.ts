import type { Rule } from '../../../src/rules/ast';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';
import { A, B, and, cond, jc as c, jg as g, nestedJson as nested, not, or, range } from './build';
import { problems } from './expectError';

describe('validateRule accepts valid rules', () => {
  test.each([
    'lifetimeValue > 5000 OR tag = "VIP"',
    'supportTickets > 3 AND NOT lastPurchaseAt within last 60 days',
    'custom.plan in ("pro", "enterprise") AND custom.region exists',
    'in segment "VIP Customers" AND NOT in segment "At Risk"',
    'NOT ((leadScore between 1 and 2 OR createdAt on 2024-02-29) AND custom.t before 2026-01-01T00:00:00Z)',
  ])('%s (as JSON)', (text) => {
    const ast = parseRule(text);
    expect(validateRule(JSON.parse(JSON.stringify(ast)))).toEqual(ast);
  });

  test.each<[string, unknown, Rule]>([
    [
      'drops not: false',
      g('and', [c('name', 'exists', undefined, { not: false })], { not: false }),
      and(cond('name', 'exists')),
    ],
    ['keeps not: true', c('name', 'exists', undefined, { not: true }), not(cond('name', 'exists'))],
    ['one-child or becomes and', g('or', [A.ast]), and(A.ast)],
    ['normalises -0', c('leadScore', '=', -0), cond('leadScore', '=', 0)],
    [
      'null-prototype objects',
      Object.assign(Object.create(null) as object, c('name', 'exists')),
      cond('name', 'exists'),
    ],
    ['depth 8', nested(8), nested(8) as Rule],
    ['segment field', c('segment', 'in segment', 'VIP'), cond('segment', 'in segment', 'VIP')],
  ])('%s', (_name, input, expected) => {
    expect(validateRule(input)).toEqual(expected);
  });

  test('returns a fresh object', () => {
    const input = JSON.parse(JSON.stringify(or(A.ast, B.ast))) as { children: { field: string }[] };
    const out = validateRule(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    if (input.children[0]) input.children[0].field = 'name';
    expect(out).toEqual(or(A.ast, B.ast));
  });
});

describe('validateRule reports each structural problem with its path', () => {
  const deepPath = Array.from({ length: 8 }, () => 'children[0]').join('.');
  test.each<[string, unknown, string, RegExp]>([
    ['null', null, '', /^expected a group or condition object, found null$/],
    ['an array', [], '', /found a list$/],
    ['a string', 'leadScore > 1', '', /found a string$/],
    ['a Date', new Date(0), '', /found an object$/],
    ['no kind', {}, 'kind', /^expected "group" or "condition", found nothing$/],
    ['bad kind', { kind: 'rule' }, 'kind', /found "rule"$/],
    ['bad op', g('xor', [A.ast]), 'op', /^expected "and" or "or", found "xor"$/],
    ['children not a list', g('and', {}), 'children', /^expected a list of rules, found an object$/],
    ['no children', g('and', []), 'children', /^expected 1 to 50 children, found 0$/],
    ['51 children', g('and', Array(51).fill(A.ast)), 'children', /found 51$/],
    ['bad not', g('and', [A.ast], { not: 'yes' }), 'not', /^expected true or false, found "yes"$/],
    ['a child that is not an object', g('and', [A.ast, 7]), 'children[1]', /found a number$/],
    ['unknown field', c('foo', '=', 'x'), 'field', /^expected a catalogue field .*, found "foo"$/],
    ['operator-like field', c('$where', '=', 'x'), 'field', /found "\$where"$/],
    ['dotted custom key', c('custom.a.b', '=', 'x'), 'field', /found "custom.a.b"$/],
    ['custom.$gt', c('custom.$gt', '=', 'x'), 'field', /found "custom.\$gt"$/],
    ['custom.__proto__', c('custom.__proto__', 'exists'), 'field', /found "custom.__proto__"$/],
    ['tag instead of tags', c('tag', 'has', 'x'), 'field', /did you mean "tags"/],
    ['field not a string', c(42, 'exists'), 'field', /found a number$/],
    ['operator $gt', c('leadScore', '$gt', 1), 'operator', /^expected an operator .*, found "\$gt"$/],
    [
      'operator for another type',
      c('name', '>', 1),
      'operator',
      /^operator ">" is not allowed on string field "name"$/,
    ],
    ['has on a number', c('leadScore', 'has', 'x'), 'operator', /not allowed on number field/],
    ['unknown key', c('name', 'exists', undefined, { foo: 1 }), 'foo', /^unknown key$/],
    ['odd unknown key', c('name', 'exists', undefined, { 'a.b': 1 }), '["a.b"]', /^unknown key$/],
    [
      'nested unknown key',
      g('and', [A.ast, c('name', 'exists', undefined, { foo: 1 })]),
      'children[1].foo',
      /^unknown key$/,
    ],
    ['too deep', nested(9), deepPath, /^nested too deeply: at most 8 levels$/],
    [
      'too many conditions',
      or(...range(5).map(() => and(...Array<Rule>(41).fill(A.ast)))),
      '',
      /^too many conditions: at most 200, found 205$/,
    ],
  ])('%s', (_name, input, path, message) => {
    const found = problems(input);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe(path);
    expect(found[0]?.message).toMatch(message);
  });
});
