/**
 * Rule → MongoDB filter, within the subset MongoDB and mongo-java-server both answer the same
 * way (DESIGN §2.1): `$and/$or/$nor`, `$eq`, `$in` (of values, or of flag-free anchored
 * regexes), typed ranges, `$ne: null`, and `$elemMatch` on scalar subfields for windowed counts. User values only ever appear as operands; keys come from the catalogue.
 */
import type { Document, Filter } from 'mongodb';
import type { Rule, RuleContext } from './ast';
import { type Bound, type Check, lowerCondition } from './lower';
import { subPath } from './semantics';

function boundValue(b: Bound, type: 'number' | 'date', nowMs: number): number | Date {
  if (type === 'number') return b.ms;
  return new Date(b.relative ? nowMs + b.ms : b.ms);
}

/** One lowered check as a filter at `nowMs` (also used by future.ts). */
export function checkFilter(check: Check, nowMs: number): Document {
  switch (check.kind) {
    case 'regex':
      // Not `$regex`: mongo-java-server applies it to numbers, booleans and dates turned into
      // text. A regex inside `$in` matches strings only, on MongoDB, mongo-java-server and mingo.
      return { [check.path]: { $in: check.sources.map((s) => new RegExp(s)) } };
    case 'eq':
      return { [check.path]: { $eq: check.value } };
    case 'in':
      return { [check.path]: { $in: [...check.values] } };
    case 'range': {
      const cond: Document = {};
      const { min, max, type } = check;
      // Comparison operators bracket by type: a Date bound never matches a string or number.
      if (min) cond[min.inclusive ? '$gte' : '$gt'] = boundValue(min, type, nowMs);
      if (max) cond[max.inclusive ? '$lte' : '$lt'] = boundValue(max, type, nowMs);
      return { [check.path]: cond };
    }
    case 'present':
      // `$ne: null` is false for both a missing field and an explicit null.
      return { [check.path]: { $ne: null } };
    case 'all':
      return { $and: check.checks.map((c) => checkFilter(c, nowMs)) };
    case 'not':
      return { $nor: [checkFilter(check.check, nowMs)] };
    case 'recent': {
      // One element with scalar fields: $elemMatch answers the same on MongoDB, mongo-java-server
      // and mingo (a range on an array-valued field would not: DESIGN §2.1).
      const match: Document = { r: { $eq: check.rank } };
      if (check.intent !== undefined) match.i = { $eq: check.intent };
      match.at = { $gte: boundValue(check.since, 'date', nowMs) };
      return { [check.path]: { $elemMatch: match } };
    }
  }
}

function ruleFilter(rule: Rule, nowMs: number, ctx: RuleContext | undefined, path: string): Document {
  if (rule.kind === 'condition') {
    const { check, negate } = lowerCondition(rule, ctx, path);
    const positive = checkFilter(check, nowMs);
    // `$nor` is the exact boolean negation: it also matches contacts where the field is missing.
    return negate ? { $nor: [positive] } : positive;
  }
  const children = rule.children.map((c, i) => ruleFilter(c, nowMs, ctx, subPath(path, i)));
  if (rule.op === 'or' && rule.not === true) return { $nor: children };
  const combined = children.length === 1 ? (children[0] as Document) : { [`$${rule.op}`]: children };
  return rule.not === true ? { $nor: [combined] } : combined;
}

/**
 * Compiles a rule to a MongoDB filter for contacts, evaluated at `now` (relative dates become
 * absolute instants). Throws RuleValidationError for an invalid rule or an unknown segment.
 * Scope it by workspace yourself: `{ $and: [{ workspaceId }, compileMongo(...)] }`.
 */
export function compileMongo(rule: Rule, now: Date, ctx?: RuleContext): Filter<Document> {
  return ruleFilter(rule, now.getTime(), ctx, '');
}
