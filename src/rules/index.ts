/**
 * The rule engine's public face (DESIGN §3.2–3.3): text ⇄ AST, validation, the two compiled
 * targets (Mongo filter and in-process predicate), nextFlip and explain. Other modules import
 * rules only from here.
 */
export type { Condition, Group, Operator, RelativeTime, Rule, RuleContact, RuleContext, Value } from './ast';
export { OPERATORS, RULE_LIMITS } from './ast';
export { fieldCatalogue, lookupField, type FieldInfo, type FieldType } from './catalogue';
export { RuleSyntaxError, RuleValidationError, type RuleProblem } from './errors';
export { parseRule } from './parser';
export { formatRule } from './format';
export { validateRule } from './validate';
export { compileMongo } from './mongo';
export { compileMongoFuture } from './future';
export { compilePredicate, type Predicate } from './predicate';
export { nextFlip } from './nextflip';
export { dependsOnTime } from './lower';
export {
  explainRule,
  type ConditionExplanation,
  type Explanation,
  type GroupExplanation,
  type RuleExplanation,
} from './explain';
export { lowerCaseStored } from './semantics';
