/**
 * Which contacts can a rule hold for, now or at any later instant? The rebuild of a segment
 * whose rule moves with the clock must visit every such contact: one that does not match now
 * may match in a minute, and only a visit gives it the recheck instant the sweeper needs
 * (DESIGN §3.5). Visiting every contact would do, but `createdAt within last 7 days` would then
 * read the whole workspace to find a handful, so the filter is derived from the rule.
 *
 * Each node gets two filters over contacts, for all instants t >= now:
 * - `upper`: holds wherever the node holds at SOME such t (a superset of the union);
 * - `lower`: holds only where the node holds at EVERY such t (a subset of the intersection).
 * Negation swaps them, and/or combine them. A relative bound is monotone in t: `value >= t + a`
 * only gets harder as t grows, `value <= t + b` only easier, a ranked occurrence in a window
 * only gets older. So a range's upper keeps the hard bound at `now` and drops the easy one
 * (the value must still be present), and its lower is empty when a hard bound is relative.
 * The result is exact for one relative condition (`within last`: value >= now − N) and a
 * superset in general, which is what a candidate filter may be.
 */
import type { Document, Filter } from 'mongodb';
import type { Rule, RuleContext } from './ast';
import { type Check, lowerCondition } from './lower';
import { checkFilter } from './mongo';
import { subPath } from './semantics';

/** A filter, or a constant where the bound is every contact (true) or none (false). */
type F = Document | boolean;

interface Span {
  upper: F;
  lower: F;
}

function and(parts: F[]): F {
  if (parts.includes(false)) return false;
  const docs = parts.filter((p): p is Document => p !== true);
  if (docs.length === 0) return true;
  return docs.length === 1 ? docs[0]! : { $and: docs };
}

function or(parts: F[]): F {
  if (parts.includes(true)) return true;
  const docs = parts.filter((p): p is Document => p !== false);
  if (docs.length === 0) return false;
  return docs.length === 1 ? docs[0]! : { $or: docs };
}

const not = (f: F): F => (typeof f === 'boolean' ? !f : { $nor: [f] });
const negated = (s: Span): Span => ({ upper: not(s.lower), lower: not(s.upper) });
const fixed = (f: Document): Span => ({ upper: f, lower: f });

function checkSpan(check: Check, nowMs: number): Span {
  switch (check.kind) {
    case 'recent':
      return { upper: checkFilter(check, nowMs), lower: false };
    case 'all': {
      const spans = check.checks.map((c) => checkSpan(c, nowMs));
      return { upper: and(spans.map((s) => s.upper)), lower: and(spans.map((s) => s.lower)) };
    }
    case 'not':
      return negated(checkSpan(check.check, nowMs));
    case 'range': {
      const hard = check.min?.relative === true;
      const easy = check.max?.relative === true;
      if (!hard && !easy) return fixed(checkFilter(check, nowMs));
      const upper =
        easy && !check.min
          ? { [check.path]: { $ne: null } } // some later instant satisfies the easy bound
          : checkFilter(easy ? { ...check, max: undefined } : check, nowMs);
      return { upper, lower: hard ? false : checkFilter(check, nowMs) };
    }
    default:
      return fixed(checkFilter(check, nowMs));
  }
}

function ruleSpan(rule: Rule, nowMs: number, ctx: RuleContext | undefined, path: string): Span {
  if (rule.kind === 'condition') {
    const { check, negate } = lowerCondition(rule, ctx, path);
    const span = checkSpan(check, nowMs);
    return negate ? negated(span) : span;
  }
  const spans = rule.children.map((c, i) => ruleSpan(c, nowMs, ctx, subPath(path, i)));
  const combine = rule.op === 'and' ? and : or;
  const span = { upper: combine(spans.map((s) => s.upper)), lower: combine(spans.map((s) => s.lower)) };
  return rule.not === true ? negated(span) : span;
}

/**
 * A filter matching every contact for which `rule` holds at `now` or at some later instant (a
 * superset; `null` when no contact can ever match). Membership of another segment is taken as
 * it is stored now: that segment's own recheck instants cover its future changes.
 */
export function compileMongoFuture(rule: Rule, now: Date, ctx?: RuleContext): Filter<Document> | null {
  const upper = ruleSpan(rule, now.getTime(), ctx, '').upper;
  if (upper === false) return null;
  return upper === true ? {} : upper;
}
