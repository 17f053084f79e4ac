/**
 * The segment dependency graph: which segments a rule names, evaluation order (dependencies
 * first) and cycle detection. Pure.
 */
import type { Rule } from '../../rules';
import { ConflictError } from '../../errors';

/** Names of the segments a rule refers to with `in segment "X"`. */
export function referencedSegmentNames(rule: Rule, into = new Set<string>()): Set<string> {
  if (rule.kind === 'group') {
    for (const child of rule.children) referencedSegmentNames(child, into);
  } else if (rule.field === 'segment' && typeof rule.value === 'string') {
    into.add(rule.value);
  }
  return into;
}

export interface Node {
  _id: string;
  name: string;
  dependsOn: string[];
}

/**
 * Orders nodes so every segment comes after the segments it depends on. Throws ConflictError
 * naming the cycle when there is one (a dependency on a missing node is ignored here).
 */
export function dependencyOrder<T extends Node>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((n) => [n._id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (n: T, trail: string[]): void => {
    const s = state.get(n._id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(n.name)), n.name];
      throw new ConflictError(`Segments would depend on each other in a cycle: ${cycle.join(' → ')}`, {
        code: 'SEGMENT_CYCLE',
        cycle,
      });
    }
    state.set(n._id, 'visiting');
    for (const dep of n.dependsOn) {
      const d = byId.get(dep);
      if (d) visit(d, [...trail, n.name]);
    }
    state.set(n._id, 'done');
    out.push(n);
  };
  for (const n of nodes) visit(n, []);
  return out;
}
