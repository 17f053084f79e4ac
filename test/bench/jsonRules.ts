/**
 * The five seed segments as json-rules-engine rules, for comparison. json-rules-engine has no
 * relative dates or case-insensitive tags, so two small custom operators supply them; thresholds
 * are computed from `now` once, as a user of that library would.
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';

const D = 86_400_000;

/** Equivalent json-rules-engine conditions, in the same order as SEED_SEGMENTS. */
export function jsonRulesFor(now: Date): TopLevelCondition[] {
  const t = now.getTime();
  return [
    {
      any: [
        { fact: 'lifetimeValue', operator: 'greaterThan', value: 5000 },
        { fact: 'tags', operator: 'hasTagCI', value: 'vip' },
      ],
    },
    { all: [{ fact: 'lastConversationAt', operator: 'dateBefore', value: t - 30 * D }] },
    {
      all: [
        { fact: 'leadScore', operator: 'greaterThan', value: 80 },
        { fact: 'openDeals', operator: 'greaterThan', value: 0 },
      ],
    },
    { all: [{ fact: 'createdAt', operator: 'dateWithin', value: [t - 7 * D, t] }] },
    {
      all: [
        { fact: 'supportTickets', operator: 'greaterThan', value: 3 },
        { not: { fact: 'lastPurchaseAt', operator: 'dateWithin', value: [t - 60 * D, t] } },
      ],
    },
  ];
}

/** An engine holding one rule; `matches(contact)` resolves to whether the rule fired. */
export function jsonRulesEngine(conditions: TopLevelCondition): (contact: object) => Promise<boolean> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('dateBefore', (a: unknown, b: number) => a instanceof Date && a.getTime() < b);
  engine.addOperator(
    'dateWithin',
    (a: unknown, b: [number, number]) => a instanceof Date && a.getTime() >= b[0] && a.getTime() <= b[1],
  );
  engine.addOperator(
    'hasTagCI',
    (a: unknown, b: string) =>
      Array.isArray(a) && a.some((x) => typeof x === 'string' && x.toLowerCase() === b),
  );
  engine.addRule({ conditions, event: { type: 'match' } });
  return async (contact) => (await engine.run(contact as Record<string, unknown>)).events.length > 0;
}
