/**
 * compileMongo's filter on the real test server (MongoDB or mongo-java-server) selects exactly
 * the contacts the predicate accepts: the operator table first, then random rules over random
 * contacts (including contacts on each rule's own boundaries).
 */
import type { Collection, Document } from 'mongodb';
import { compileMongo } from '../../../src/rules/mongo';
import { parseRule } from '../../../src/rules/parser';
import { compilePredicate } from '../../../src/rules/predicate';
import { openTestDb, type TestDb } from '../../support/db';
import { Rng, randomContact, randomNow, testContext } from '../../support/randomContacts';
import { NOW, RULE_CASES } from '../../support/ruleCases';
import { contactFor, randomRule } from '../../support/randomRules';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb('rules');
});
afterAll(async () => t.close());

const ids = async (col: Collection<Document>, filter: Document): Promise<number[]> =>
  (await col.find(filter, { projection: { _id: 1 } }).toArray())
    .map((d) => d._id as unknown as number)
    .sort((a, b) => a - b);

test('the operator table holds on the server', async () => {
  const col = t.db.collection<Document>('cases');
  const cases: Document[] = RULE_CASES.map(([, contact], i) => ({ _id: i, ...contact }));
  await col.insertMany(cases);
  const wrong: string[] = [];
  for (const [i, [text, , expected]] of RULE_CASES.entries()) {
    const filter = compileMongo(parseRule(text), NOW, testContext);
    const found = (await ids(col, { $and: [{ _id: i }, filter] })).length === 1;
    if (found !== expected) wrong.push(`#${i} ${text} on ${JSON.stringify(RULE_CASES[i]?.[1])}: ${found}`);
  }
  expect(wrong).toEqual([]);
});

// 250 rules × ~1,000 contacts on the shared server: slow on a loaded 2-core machine.
test('random rules select the same contacts on the server as the predicate accepts', async () => {
  const r = new Rng(4242);
  const rules = Array.from({ length: 250 }, () => ({ rule: randomRule(r), now: randomNow(r) }));
  const contacts = Array.from({ length: 500 }, () => randomContact(r));
  // Two contacts per rule on that rule's own boundaries.
  for (const { rule, now } of rules) {
    for (let k = 0; k < 2; k++) contacts.push(contactFor(r, rule, now, r.pick(contacts)));
  }
  const docs: Document[] = contacts.map((c, i) => ({ ...c, _id: i }));
  const col = t.db.collection<Document>('contacts');
  await col.insertMany(docs);
  // Compare with what the server stored, so both sides see the same values.
  const stored = await col.find({}).sort({ _id: 1 }).toArray();
  let total = 0;
  for (const { rule, now } of rules) {
    const predicate = compilePredicate(rule, testContext);
    const expected = stored.filter((c) => predicate(c, now)).map((c) => c._id as unknown as number);
    const filter = compileMongo(rule, now, testContext);
    const found = await ids(col, filter);
    total += found.length;
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
      const only = (a: number[], b: number[]) => a.filter((x) => !b.includes(x)).slice(0, 3);
      const sample = [...only(found, expected), ...only(expected, found)].map((i) =>
        JSON.stringify(stored[i]),
      );
      throw new Error(
        `server and predicate disagree at ${now.toISOString()}\nrule: ${JSON.stringify(rule)}\n` +
          `filter: ${JSON.stringify(filter)}\nserver only: ${only(found, expected).join(',')}\n` +
          `predicate only: ${only(expected, found).join(',')}\n${sample.join('\n')}`,
      );
    }
  }
  expect(total).toBeGreaterThan(rules.length * 20);
}, 120_000);
