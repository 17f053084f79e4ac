/**
 * The value of a windowed count (`conversations`, `intents`): `{count, last, intent?}`. Checked
 * here for validateRule and parseRule alike, including what the operator can ask of the stored
 * ranked occurrences (src/domain/conversations/activity.ts keeps the 20 most recent, 90 days).
 */
import { INTENTS, MAX_RANK, MAX_WINDOW_MS } from './conversationTerms';
import type { Operator, RelativeTime, WindowCount } from './ast';
import type { Bound, Check } from './checkTypes';
import { describeFound, type ValueProblem } from './checks';
import { relativeMs } from './semantics';

type Relative = (v: unknown, out: ValueProblem[]) => RelativeTime | undefined;

/**
 * The ranks (1 = most recent occurrence) a comparison needs: "at least K" is "the K-th most
 * recent is in the window", so `>= K` needs rank K, `> K` rank K + 1, `= K` both K and K + 1.
 */
export function ranksFor(operator: Operator, count: number): number[] {
  switch (operator) {
    case '>=':
    case '<':
      return [count];
    case '>':
    case '<=':
      return [count + 1];
    default: // '='
      return count === 0 ? [1] : [count, count + 1];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/** Checks a windowed count; problems go to `out` (with `.count`, `.last.amount`, `.intent` subs). */
export function windowCount(
  v: unknown,
  withIntent: boolean,
  operator: Operator | undefined,
  out: ValueProblem[],
  relative: Relative,
): WindowCount | undefined {
  const shape = withIntent ? '{intent, count, last}' : '{count, last}';
  if (!isObject(v)) {
    out.push({ sub: '', message: `expected ${shape}, found ${describeFound(v)}` });
    return undefined;
  }
  const before = out.length;
  const keys = new Set(withIntent ? ['intent', 'count', 'last'] : ['count', 'last']);
  for (const k of Object.keys(v)) if (!keys.has(k)) out.push({ sub: `.${k}`, message: 'unknown key' });
  const count = Object.hasOwn(v, 'count') ? v.count : undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_RANK) {
    const found = typeof count === 'number' ? String(count) : describeFound(count);
    out.push({ sub: '.count', message: `expected a whole number from 0 to ${MAX_RANK}, found ${found}` });
  } else if (operator !== undefined) {
    const ranks = ranksFor(operator, count);
    if (ranks.some((r) => r < 1))
      out.push({ sub: '.count', message: `"${operator} 0" ${operator === '<' ? 'never' : 'always'} holds` });
    else if (ranks.some((r) => r > MAX_RANK))
      out.push({
        sub: '.count',
        message: `at most ${MAX_RANK - 1} with "${operator}": only the ${MAX_RANK} most recent are kept`,
      });
  }
  const lastProblems: ValueProblem[] = [];
  const last = relative(Object.hasOwn(v, 'last') ? v.last : undefined, lastProblems);
  for (const p of lastProblems) out.push({ sub: `.last${p.sub}`, message: p.message });
  if (last && relativeMs(last) > MAX_WINDOW_MS)
    out.push({ sub: '.last', message: `at most ${MAX_WINDOW_MS / 86_400_000} days` });
  let intent: string | undefined;
  if (withIntent) {
    const raw = Object.hasOwn(v, 'intent') ? v.intent : undefined;
    intent = typeof raw === 'string' ? raw.toLowerCase() : undefined;
    if (intent === undefined || !INTENTS.includes(intent)) {
      const found = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : describeFound(raw);
      out.push({ sub: '.intent', message: `expected one of ${INTENTS.join(', ')}; found ${found}` });
    }
  }
  if (out.length > before || !last) return undefined;
  const value: WindowCount = { count: count as number, last };
  return intent === undefined ? value : { intent, count: count as number, last };
}

/**
 * A windowed count as ranked-occurrence checks: `>= K` is "the K-th most recent is in the
 * window", `< K` its negation, `= K` "K-th in, (K+1)-th not" (see windowValue.ranksFor).
 */
export function windowCheck(path: string, operator: Operator, w: WindowCount): Check {
  const since: Bound = { ms: -relativeMs(w.last), relative: true, inclusive: true };
  const recent = (rank: number): Check => ({
    kind: 'recent',
    path,
    rank,
    since,
    ...(w.intent === undefined ? {} : { intent: w.intent }),
  });
  const [first, second] = ranksFor(operator, w.count) as [number, number?];
  if (operator === '>=' || operator === '>') return recent(first);
  if (operator === '<' || operator === '<=') return { kind: 'not', check: recent(first) };
  if (second === undefined) return { kind: 'not', check: recent(first) }; // = 0
  return { kind: 'all', checks: [recent(first), { kind: 'not', check: recent(second) }] };
}
