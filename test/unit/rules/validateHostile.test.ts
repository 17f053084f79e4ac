import { RuleValidationError } from '../../../src/rules/errors';
import { parseRule } from '../../../src/rules/parser';
import { validateRule } from '../../../src/rules/validate';
import { jc as c, jg as g, nestedJson } from './build';
import { problems } from './expectError';

describe('validateRule lists every problem together', () => {
  test('problems from several places', () => {
    const bad = [
      c('foo', '=', 1),
      c('leadScore', '>', 'x'),
      c('name', 'exists', undefined, { extra: 1 }),
      g('and', []),
    ];
    let e: unknown;
    try {
      validateRule(g('xor', bad, { not: 1 }));
    } catch (err) {
      e = err;
    }
    if (!(e instanceof RuleValidationError)) throw new Error('expected a RuleValidationError');
    expect(e.code).toBe('RULE_INVALID');
    expect(e.status).toBe(400);
    const paths = [
      'not',
      'op',
      'children[0].field',
      'children[1].value',
      'children[2].extra',
      'children[3].children',
    ];
    expect(e.problems.map((p) => p.path).sort()).toEqual(paths.sort());
    expect(e.details).toEqual({ problems: e.problems });
    expect(e.message).toMatch(/^Invalid rule \(6 problems\): .*; and 1 more$/);
  });

  test('a condition with a bad field, operator and key at once', () => {
    const found = problems(c('$where', '$gt', { $gt: 1 }, { __proto__x: 1 }));
    expect(found.map((p) => p.path)).toEqual(['__proto__x', 'field', 'operator']);
  });

  test('a flood of problems is cut at 100', () => {
    const children = Array.from({ length: 50 }, () => c('foo', 'bar', undefined, { a: 1, b: 2 }));
    expect(problems(g('and', children))).toHaveLength(100);
  });
});

describe('validateRule survives hostile input', () => {
  test('__proto__ keys from JSON are unknown keys, and pollute nothing', () => {
    const head = '{"kind":"condition","field":"name","operator":"exists"';
    expect(problems(JSON.parse(`${head},"__proto__":{"polluted":1}}`))).toEqual([
      { path: '__proto__', message: 'unknown key' },
    ]);
    const rel = '{"kind":"condition","field":"createdAt","operator":"within last","value":';
    const inValue: unknown = JSON.parse(`${rel}{"amount":1,"unit":"days","__proto__":{"polluted":1}}}`);
    expect(problems(inValue).map((p) => p.path)).toEqual(['value.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('inherited keys are not read', () => {
    const proto = { kind: 'condition', field: 'name', operator: 'exists' };
    expect(problems(Object.create(proto))[0]?.path).toBe('');
  });

  const cycle = (): unknown => {
    const x: Record<string, unknown> = { kind: 'group', op: 'and' };
    x.children = [x];
    return x;
  };
  const getter = () => ({
    kind: 'condition',
    get field(): string {
      throw new Error('boom');
    },
    operator: 'exists',
  });
  const proxy = () =>
    new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
  test.each<[string, () => unknown]>([
    ['100,000 levels of nesting', () => nestedJson(100_000)],
    ['a cycle', cycle],
    ['a throwing getter', getter],
    ['a throwing proxy', proxy],
    ['a function', () => () => 1],
    ['a symbol', () => Symbol('x')],
    ['a bigint', () => 1n],
    ['undefined', () => undefined],
  ])('%s', (_name, make) => {
    expect(() => validateRule(make())).toThrow(RuleValidationError);
  });
});

describe('cost budget (issue 16): substring tests are budgeted together', () => {
  const contains = (n: number, len: number) => ({
    kind: 'group',
    op: 'or',
    children: Array.from({ length: n }, () => ({
      kind: 'condition',
      field: 'custom.bio',
      operator: 'contains',
      value: 'z'.repeat(len),
    })),
  });

  test('4 × 50 contains of 999 characters (97 s of database time before) is refused', () => {
    const rule = { kind: 'group', op: 'or', children: Array.from({ length: 4 }, () => contains(50, 999)) };
    expect(() => validateRule(rule)).toThrow(/too costly: .* at most 2000 characters .* found 199800/);
  });

  test('up to the budget is fine; anchored and exact text is not counted', () => {
    expect(() => validateRule(contains(2, 1000))).not.toThrow();
    expect(() => validateRule(contains(3, 1000))).toThrow(/too costly/);
    expect(() =>
      parseRule(Array.from({ length: 5 }, () => `name starts with "${'a'.repeat(900)}"`).join(' OR ')),
    ).not.toThrow();
    expect(() =>
      parseRule(Array.from({ length: 3 }, () => `name ends with "${'a'.repeat(900)}"`).join(' OR ')),
    ).toThrow(/line 1, column 1: rule too costly/);
  });
});
