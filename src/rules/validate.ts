/**
 * validateRule: untrusted JSON (an API body) to a validated AST. Every problem is collected with
 * its path; the result is a fresh object holding only known keys, so nothing hostile survives.
 */
import { costProblem } from './cost';
import { OPERATORS, RULE_LIMITS, type Condition, type Group, type Operator, type Rule } from './ast';
import { lookupField } from './catalogue';
import { describeFound, isOperatorAllowed, valueKind } from './checks';
import { RuleValidationError, type RuleProblem } from './errors';
import { checkValue, isPlainObject, keyPath } from './values';

/** More problems than this is noise (or an attack): report these and stop looking. */
const MAX_PROBLEMS = 100;
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const GROUP_KEYS = new Set(['kind', 'op', 'not', 'children']);
const CONDITION_KEYS = new Set(['kind', 'field', 'operator', 'value', 'not']);
const FIELD_HINT = 'a catalogue field such as lifetimeValue, tags, segment or custom.<key>';

class Enough extends Error {}

const at = (path: string, key: string): string =>
  path ? path + keyPath(key) : keyPath(key).replace(/^\./, '');
const shown = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : describeFound(v);
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

class Validator {
  readonly problems: RuleProblem[] = [];
  conditions = 0;

  /** Records a problem; returns undefined so a checker can `return this.report(...)`. */
  report(path: string, message: string): undefined {
    this.problems.push({ path, message });
    if (this.problems.length >= MAX_PROBLEMS) throw new Enough();
    return undefined;
  }

  /** `level` counts the root as 1; checked before descending, so hostile nesting stops here. */
  node(v: unknown, path: string, level: number): Rule | undefined {
    if (!isPlainObject(v))
      return this.report(path, `expected a group or condition object, found ${describeFound(v)}`);
    if (level > RULE_LIMITS.maxDepth)
      return this.report(path, `nested too deeply: at most ${RULE_LIMITS.maxDepth} levels`);
    const kind = own(v, 'kind');
    if (kind === 'group') return this.group(v, path, level);
    if (kind === 'condition') return this.condition(v, path);
    this.report(at(path, 'kind'), `expected "group" or "condition", found ${shown(kind)}`);
  }

  private common(v: Record<string, unknown>, path: string, keys: ReadonlySet<string>): boolean {
    for (const k of Object.keys(v)) if (!keys.has(k)) this.report(at(path, k), 'unknown key');
    const not = own(v, 'not');
    if (not !== undefined && typeof not !== 'boolean')
      this.report(at(path, 'not'), `expected true or false, found ${shown(not)}`);
    return not === true;
  }

  private group(v: Record<string, unknown>, path: string, level: number): Group | undefined {
    const before = this.problems.length;
    const not = this.common(v, path, GROUP_KEYS);
    const op = own(v, 'op');
    if (op !== 'and' && op !== 'or')
      this.report(at(path, 'op'), `expected "and" or "or", found ${shown(op)}`);
    const list = own(v, 'children');
    const max = RULE_LIMITS.maxChildren;
    if (!Array.isArray(list))
      return this.report(at(path, 'children'), `expected a list of rules, found ${shown(list)}`);
    if (list.length < 1 || list.length > max) {
      this.report(at(path, 'children'), `expected 1 to ${max} children, found ${list.length}`);
    }
    const children: Rule[] = [];
    for (let i = 0; i < list.length; i++) {
      const child = this.node(list[i], `${at(path, 'children')}[${i}]`, level + 1);
      if (child) children.push(child);
    }
    if (this.problems.length > before) return undefined;
    // A one-child group means the same whatever its op; "and" is the one the text form can spell.
    const group: Group = { kind: 'group', op: children.length === 1 ? 'and' : (op as Group['op']), children };
    if (not) group.not = true;
    return group;
  }

  private condition(v: Record<string, unknown>, path: string): Condition | undefined {
    this.conditions++;
    const before = this.problems.length;
    const not = this.common(v, path, CONDITION_KEYS);
    const field = own(v, 'field');
    const operator = own(v, 'operator');
    const info = typeof field === 'string' ? lookupField(field) : undefined;
    if (!info) {
      const hint = field === 'tag' ? ' (did you mean "tags"?)' : '';
      this.report(at(path, 'field'), `expected ${FIELD_HINT}, found ${shown(field)}${hint}`);
    }
    const op =
      typeof operator === 'string' && OPERATOR_SET.has(operator) ? (operator as Operator) : undefined;
    if (!op)
      this.report(
        at(path, 'operator'),
        `expected an operator such as "=" or "within last", found ${shown(operator)}`,
      );
    if (!info || !op) return undefined;
    if (!isOperatorAllowed(info.type, op)) {
      return this.report(
        at(path, 'operator'),
        `operator "${op}" is not allowed on ${info.type} field "${info.name}"`,
      );
    }
    const checked = checkValue(valueKind(info.type, op), own(v, 'value'), op);
    for (const p of checked.problems) this.report(at(path, 'value') + p.sub, p.message);
    if (this.problems.length > before) return undefined;
    const c: Condition = { kind: 'condition', field: info.name, operator: op };
    if (checked.value !== undefined) c.value = checked.value;
    if (not) c.not = true;
    return c;
  }
}

/**
 * Checks untrusted JSON against the rule schema, the field catalogue and the limits. Returns a
 * fresh, canonical AST (`not: false` dropped, one-child groups "and"); throws RuleValidationError
 * listing every problem, and nothing else, whatever the input.
 */
export function validateRule(json: unknown): Rule {
  const v = new Validator();
  let rule: Rule | undefined;
  try {
    rule = v.node(json, '', 1);
    const max = RULE_LIMITS.maxConditions;
    if (v.conditions > max) v.report('', `too many conditions: at most ${max}, found ${v.conditions}`);
    const costly = rule && v.problems.length === 0 ? costProblem(rule) : undefined;
    if (costly) v.report('', costly);
  } catch (e) {
    // Enough: the list is full. Anything else came from a getter or proxy in non-JSON input.
    if (!(e instanceof Enough)) v.problems.push({ path: '', message: 'could not be read as a rule' });
  }
  if (!rule || v.problems.length > 0) {
    throw new RuleValidationError(v.problems.length > 0 ? v.problems : [{ path: '', message: 'not a rule' }]);
  }
  return rule;
}
