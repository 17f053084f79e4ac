/**
 * The operator × type table, run through both in-memory evaluators: the compiled predicate and
 * mingo on compileMongo's filter. The database test runs the same table on the server.
 */
import { Query } from 'mingo';
import { parseRule } from '../../../src/rules/parser';
import { compileMongo } from '../../../src/rules/mongo';
import { compilePredicate } from '../../../src/rules/predicate';
import { testContext } from '../../support/randomContacts';
import { NOW, RULE_CASES } from '../../support/ruleCases';

const evaluators = {
  predicate: (text: string, contact: Record<string, unknown>) =>
    compilePredicate(parseRule(text), testContext)(contact, NOW),
  mingo: (text: string, contact: Record<string, unknown>) =>
    new Query(compileMongo(parseRule(text), NOW, testContext)).test(contact),
};

describe.each(Object.entries(evaluators))('%s', (_name, evaluate) => {
  test.each(RULE_CASES)('%s on %j → %s', (text, contact, expected) => {
    expect(evaluate(text, contact)).toBe(expected);
  });
});
