/**
 * Rule → in-process predicate. The rule is lowered once and generated into one JS function with
 * `new Function`, so a call runs straight-line code: no tree walk, no operator switch, no
 * catalogue lookup, and a fresh function per rule keeps V8's property loads monomorphic. Each
 * check mirrors what compileMongo's filter asks MongoDB, including type bracketing, missing and
 * null values and any-element matching of array fields.
 *
 * Injection safety: the generated source holds only fixed fragments, constant-array indices and
 * standard field names from the catalogue (checked to be plain identifiers). Every literal,
 * regex, date boundary and custom-field key is passed in through the constants array.
 */
import type { Rule, RuleContact, RuleContext } from './ast';
import { type Bound, type Check, lowerCondition } from './lower';
import { isDate, subPath } from './semantics';

/** A compiled rule: is `contact` in the segment at instant `now`? */
export type Predicate = (contact: RuleContact, now: Date) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isDate(v);

/** `custom.<key>`: own keys of a plain `custom` object only, so `custom.toString` is not
 * Object.prototype.toString. */
function custom(c: RuleContact, key: string): unknown {
  const o = c.custom as unknown;
  return isRecord(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * The value a rule sees at a lowered path (for nextFlip and explain; the predicate itself inlines
 * these reads): `segments.segmentId` gives the list of segment ids.
 */
export function fieldValue(contact: RuleContact, path: string): unknown {
  if (path === 'segments.segmentId') {
    const s = contact.segments as unknown;
    if (isRecord(s)) return s.segmentId;
    return Array.isArray(s) ? s.map((e) => (isRecord(e) ? e.segmentId : undefined)) : undefined;
  }
  if (path.startsWith('custom.')) return custom(contact, path.slice('custom.'.length));
  return contact[path];
}

/** An array field matches when any element does (one level, as in MongoDB). */
function anyElement(v: unknown, re: RegExp): boolean {
  if (!Array.isArray(v)) return typeof v === 'string' && re.test(v);
  for (const x of v) if (typeof x === 'string' && re.test(x)) return true;
  return false;
}

/** `segments.segmentId` equality: any membership entry (or a lone entry object) with that id. */
function inSegment(s: unknown, id: string): boolean {
  if (isRecord(s)) return s.segmentId === id;
  if (!Array.isArray(s)) return false;
  for (const e of s) if (isRecord(e) && e.segmentId === id) return true;
  return false;
}

/**
 * A ranked occurrence (see lower.ts RecentCheck): an element `{r: rank, at}` (with `i: intent`
 * when given) whose `at` is a date at or after `min`, as `$elemMatch` decides it.
 */
function recent(list: unknown, rank: number, intent: string | undefined, min: number): boolean {
  if (!Array.isArray(list)) return false;
  // The rank first: cheap, and no array or date element (which BSON gives no fields) has one.
  for (const e of list as ({ r?: unknown; i?: unknown; at?: unknown } | null)[]) {
    if (typeof e !== 'object' || e === null || e.r !== rank) continue;
    if (intent !== undefined && e.i !== intent) continue;
    if (isDate(e.at) && e.at.getTime() >= min) return true;
  }
  return false;
}

const HELPERS = { isDate, anyElement, inSegment, custom, recent };
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

/** Collects constants and emits JS expressions over `c` (contact), `n` (now ms) and `v`/`t`. */
class Emitter {
  readonly constants: unknown[] = [];
  usesNow = false;

  constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  read(path: string): string {
    if (path.startsWith('custom.')) {
      return `custom(c, ${this.constant(path.slice('custom.'.length))})`;
    }
    if (!IDENTIFIER.test(path)) throw new Error(`not a catalogue field path: ${path}`);
    return `c.${path}`;
  }

  bound(b: Bound, op: string): string {
    if (b.relative) this.usesNow = true;
    const k = this.constant(b.ms);
    return `t ${op} ${b.relative ? `n + ${k}` : k}`;
  }

  check(check: Check): string {
    switch (check.kind) {
      case 'all':
        return `(${check.checks.map((x) => this.check(x)).join(' && ')})`;
      case 'not':
        return `!${this.check(check.check)}`;
      case 'recent': {
        this.usesNow = true;
        const intent = check.intent === undefined ? 'undefined' : this.constant(check.intent);
        const min = `n + ${this.constant(check.since.ms)}`;
        return `recent(${this.read(check.path)}, ${this.constant(check.rank)}, ${intent}, ${min})`;
      }
      case 'regex': {
        // One regex for the whole list: the union of anchored alternatives means the same.
        const source =
          check.sources.length === 1
            ? (check.sources[0] as string)
            : check.sources.map((s) => `(?:${s})`).join('|');
        const re = this.constant(new RegExp(source));
        if (check.path === 'tags') return `anyElement(c.tags, ${re})`;
        return `(typeof (v = ${this.read(check.path)}) === 'string' && ${re}.test(v))`;
      }
      case 'eq':
        if (check.path === 'segments.segmentId')
          return `inSegment(c.segments, ${this.constant(check.value)})`;
        return `(${this.read(check.path)} === ${this.constant(check.value)})`;
      case 'in':
        return `${this.constant(new Set(check.values))}.has(${this.read(check.path)})`;
      case 'present':
        return `((v = ${this.read(check.path)}) !== undefined && v !== null)`;
      case 'range': {
        const parts: string[] = [];
        if (check.min) parts.push(this.bound(check.min, check.min.inclusive ? '>=' : '>'));
        if (check.max) parts.push(this.bound(check.max, check.max.inclusive ? '<=' : '<'));
        const within = parts.join(' && ') || 'true';
        // Mongo brackets comparisons by BSON type: only numbers compare with numbers, dates with dates.
        if (check.type === 'number')
          return `(typeof (t = ${this.read(check.path)}) === 'number' && ${within})`;
        return `(isDate(v = ${this.read(check.path)}) && (t = v.getTime(), ${within}))`;
      }
    }
  }

  rule(rule: Rule, ctx: RuleContext | undefined, path: string): string {
    if (rule.kind === 'condition') {
      const { check, negate } = lowerCondition(rule, ctx, path);
      const code = this.check(check);
      return negate ? `!${code}` : code;
    }
    const parts = rule.children.map((c, i) => this.rule(c, ctx, subPath(path, i)));
    const code = `(${parts.join(rule.op === 'and' ? ' && ' : ' || ')})`;
    return rule.not === true ? `!${code}` : code;
  }
}

/**
 * Compiles a rule once into a predicate that agrees with compileMongo's filter on every contact
 * and every `now`. Throws RuleValidationError for an invalid rule or an unknown segment; segment
 * ids are resolved at compile time, so recompile when a segment the rule names is renamed.
 */
export function compilePredicate(rule: Rule, ctx?: RuleContext): Predicate {
  const e = new Emitter();
  const body = e.rule(rule, ctx, '');
  const names = Object.keys(HELPERS);
  const consts = e.constants.map((_, i) => `k${i} = K[${i}]`);
  const source = [
    `'use strict';`,
    consts.length > 0 ? `const ${consts.join(', ')};` : '',
    `return function compiledRule(c, now) {`,
    `  let v, t;`,
    e.usesNow ? `  const n = now.getTime();` : '',
    `  return ${body};`,
    `};`,
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the module comment
  const factory = new Function('K', ...names, source) as (...args: unknown[]) => Predicate;
  return factory(e.constants, ...Object.values(HELPERS));
}
