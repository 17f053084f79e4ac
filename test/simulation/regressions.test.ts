/**
 * Bugs the simulation found, each as the shrunk sequence it printed (with the seed and path that
 * produced it), replayed on every run. A sequence here failed before its fix.
 */
import type { Op } from './ops';
import { Product } from './product';
import { runOps } from './property';

let p: Product;
beforeAll(async () => {
  p = new Product('simreg');
  await p.open();
}, 60_000);
afterAll(() => p.close(), 60_000);

const cases: [string, Op[]][] = [
  [
    // seed 267634981, run against the rebuild before issue 23's fix: a segment edited after the
    // data never scheduled the contact 2 h short of its boundary (and so it never entered).
    'a rule edited to depend on time schedules the contact that does not match yet',
    [
      { kind: 'upsert', k: 0, bulk: false, fields: { createdAgoMs: 79_200_000 }, via: 0 },
      {
        kind: 'createSegment',
        slot: 0,
        rule: { kind: 'condition', field: 'supportTickets', operator: '>', value: 1 },
        via: 0,
      },
      {
        kind: 'editSegment',
        slot: 0,
        rule: {
          kind: 'condition',
          field: 'createdAt',
          operator: 'more than ago',
          value: { amount: 1, unit: 'days' },
        },
        via: 1,
      },
      { kind: 'advance', ms: 7_200_001 },
    ],
  ],
  [
    // seed 1974145632: deleting a contact recorded no exits (the engine found it gone).
    'a deleted contact leaves its segments in the feed',
    [
      { kind: 'upsert', k: 2, bulk: false, fields: { lastConversationAgoMs: 0 }, via: 0 },
      {
        kind: 'createSegment',
        slot: 0,
        rule: {
          kind: 'condition',
          field: 'createdAt',
          operator: 'more than ago',
          value: { amount: 10, unit: 'minutes' },
        },
        via: 0,
      },
      { kind: 'advance', ms: 600_001 },
      { kind: 'deleteContact', k: 2, via: 1 },
    ],
  ],
];

test.each(cases)(
  '%s',
  async (_name, ops) => {
    await runOps(p, ops);
  },
  60_000,
);
