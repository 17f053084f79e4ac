/** Terse builders for expected rule ASTs in the rules tests. */
import type { Condition, Group, Operator, Rule, Value } from '../../../src/rules/ast';

export function cond(field: string, operator: Operator, value?: Value): Condition {
  const c: Condition = { kind: 'condition', field, operator };
  if (value !== undefined) c.value = value;
  return c;
}

export const and = (...children: Rule[]): Group => ({ kind: 'group', op: 'and', children });
export const or = (...children: Rule[]): Group => ({ kind: 'group', op: 'or', children });

/** The same rule with `not: true`. */
export function not<R extends Rule>(r: R): R {
  return { ...r, not: true };
}

/** Short conditions for structure tests: text and AST side by side. */
export const A = { text: 'leadScore > 1', ast: cond('leadScore', '>', 1) };
export const B = { text: 'openDeals > 0', ast: cond('openDeals', '>', 0) };
export const C = { text: 'tag = "VIP"', ast: cond('tags', 'has', 'VIP') };
export const D = { text: 'name exists', ast: cond('name', 'exists') };

/** Untrusted-JSON builders: like cond/and but any field may hold anything. */
export const jc = (field: unknown, operator: unknown, value?: unknown, extra: object = {}) => ({
  kind: 'condition',
  field,
  operator,
  ...(value === undefined ? {} : { value }),
  ...extra,
});
export const jg = (op: unknown, children: unknown, extra: object = {}) => ({
  kind: 'group',
  op,
  children,
  ...extra,
});

/** A condition wrapped in one-child groups, `levels` deep in all. */
export function nestedJson(levels: number): unknown {
  let r: unknown = jc('leadScore', '>', 1);
  for (let i = 1; i < levels; i++) r = jg('and', [r]);
  return r;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
