/** The order-free counter rule (issue 15, fix 2): every permutation of the events, same counts. */
import {
  applyEntityEvent,
  countsOf,
  emptyLedger,
  MAX_ENTITIES,
  type EntityEvent,
} from '../../../src/domain/events/ledger';

const t = (n: number) => new Date(Date.UTC(2024, 0, n));

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const counts = (events: EntityEvent[], base = emptyLedger(0, 0)) =>
  countsOf(events.reduce(applyEntityEvent, base));

test.each([
  [
    'opened then closed',
    [
      { id: 'a', open: true, at: t(1) },
      { id: 'a', open: false, at: t(2) },
    ],
    { open: 0, total: 1 },
  ],
  [
    'reopened later',
    [
      { id: 'a', open: true, at: t(1) },
      { id: 'a', open: false, at: t(2) },
      { id: 'a', open: true, at: t(3) },
    ],
    { open: 1, total: 1 },
  ],
  [
    'same instant: closed wins',
    [
      { id: 'a', open: true, at: t(1) },
      { id: 'a', open: false, at: t(1) },
    ],
    { open: 0, total: 1 },
  ],
  [
    'two tickets and anonymous ones',
    [
      { id: 'a', open: true, at: t(1) },
      { id: 'b', open: true, at: t(2) },
      { open: true, at: t(1) },
      { open: false, at: t(2) },
      { open: false, at: t(3) },
    ],
    { open: 2, total: 3 },
  ],
])('%s: every arrival order gives the same counts', (_name, events, expected) => {
  for (const order of permutations(events as EntityEvent[])) expect(counts(order)).toEqual(expected);
});

test('imported starting values are the base; an anonymous close takes one off', () => {
  expect(counts([{ open: false, at: t(1) }], emptyLedger(3, 5))).toEqual({ open: 2, total: 5 });
});

test('closed entities beyond the cap are folded into the total, counts unchanged', () => {
  const events: EntityEvent[] = [];
  for (let i = 0; i < MAX_ENTITIES + 10; i++) {
    events.push({ id: `t${i}`, open: true, at: t(1) }, { id: `t${i}`, open: false, at: t(2) });
  }
  const ledger = events.reduce(applyEntityEvent, emptyLedger(0, 0));
  expect(ledger.entities.length).toBeLessThanOrEqual(MAX_ENTITIES);
  expect(countsOf(ledger)).toEqual({ open: 0, total: MAX_ENTITIES + 10 });
});
