/**
 * The two compiled targets agree: for random (rule, contact, now), the predicate says what mingo
 * says about compileMongo's filter. Failures print the rule, contact and filter to reproduce.
 */
import { Query } from 'mingo';
import { compileMongo } from '../../../src/rules/mongo';
import { compilePredicate } from '../../../src/rules/predicate';
import { Rng, randomContact, randomNow, testContext } from '../../support/randomContacts';
import { contactFor, randomRule } from '../../support/randomRules';

const RULES = 500;
const CONTACTS_PER_RULE = 20;

test(`predicate === mingo(compileMongo) on ${RULES * CONTACTS_PER_RULE} random triples`, () => {
  const r = new Rng(20250615);
  const contacts = Array.from({ length: 400 }, () => randomContact(r));
  let matched = 0;
  for (let i = 0; i < RULES; i++) {
    const rule = randomRule(r);
    const now = randomNow(r);
    const filter = compileMongo(rule, now, testContext);
    const query = new Query(filter);
    const predicate = compilePredicate(rule, testContext);
    for (let j = 0; j < CONTACTS_PER_RULE; j++) {
      const base = r.pick(contacts);
      // Half the contacts sit on the rule's own boundaries.
      const contact = j % 2 === 0 ? base : contactFor(r, rule, now, base);
      const ours = predicate(contact, now);
      const theirs = query.test(contact);
      if (ours !== theirs) {
        throw new Error(
          `disagreement (predicate ${ours}, mingo ${theirs}) at ${now.toISOString()}\n` +
            `rule: ${JSON.stringify(rule)}\nfilter: ${JSON.stringify(filter)}\n` +
            `contact: ${JSON.stringify(contact)}`,
        );
      }
      if (ours) matched++;
    }
  }
  // The generators are only useful if they produce both answers often.
  expect(matched).toBeGreaterThan(RULES * CONTACTS_PER_RULE * 0.15);
  expect(matched).toBeLessThan(RULES * CONTACTS_PER_RULE * 0.85);
});
