/** The handoff's pure parts: queue order, segment snapshot, intent matching, agent commands. */
import { asksForPerson, isCustomerEnd, parseAgentCommand } from '../../../bot/handoff/intent';
import {
  compareQueue,
  formatWait,
  orderQueue,
  snapshotSegments,
  type QueueEntry,
} from '../../../bot/handoff/queue';
import type { Segment } from '../../../src/domain/segments/types';

const T0 = Date.UTC(2025, 0, 1);
const entry = (id: string, routing: boolean, priority: number, waitedMin: number): QueueEntry => ({
  _id: id,
  routing,
  priority,
  requestedAt: new Date(T0 - waitedMin * 60_000),
});

describe('queue order', () => {
  test.each([
    ['routing beats a higher priority', entry('a', true, 1, 1), entry('b', false, 99, 1)],
    ['routing beats a longer wait', entry('a', true, 0, 1), entry('b', false, 0, 60)],
    ['higher priority first among routing', entry('a', true, 50, 1), entry('b', true, 10, 60)],
    ['higher priority first among the rest', entry('a', false, 5, 1), entry('b', false, 0, 60)],
    ['then the longer wait', entry('a', false, 5, 30), entry('b', false, 5, 10)],
    ['then the id, so every process agrees', entry('a', false, 5, 10), entry('b', false, 5, 10)],
  ])('%s', (_name, first, second) => {
    expect(compareQueue(first, second)).toBeLessThan(0);
    expect(compareQueue(second, first)).toBeGreaterThan(0);
    expect(orderQueue([second, first]).map((e) => e._id)).toEqual(['a', 'b']);
  });

  test('a mixed queue', () => {
    const q = [
      entry('plain-old', false, 0, 50),
      entry('vip-new', true, 10, 1),
      entry('high-intent', false, 20, 5),
      entry('vip-old', true, 10, 20),
      entry('vip-top', true, 100, 2),
    ];
    expect(orderQueue(q).map((e) => e._id)).toEqual([
      'vip-top',
      'vip-old',
      'vip-new',
      'high-intent',
      'plain-old',
    ]);
    expect(q[0]?._id).toBe('plain-old'); // a copy, the input is untouched
  });
});

test('snapshotSegments: routing if any segment routes, the highest priority, 0 with none', () => {
  const seg = (name: string, priority: number, routing: boolean) =>
    ({ _id: name, name, priority, routing }) as Segment;
  expect(snapshotSegments([seg('VIP', 10, true), seg('High Intent', 30, false)])).toEqual({
    segments: [
      { segmentId: 'VIP', name: 'VIP', priority: 10, routing: true },
      { segmentId: 'High Intent', name: 'High Intent', priority: 30, routing: false },
    ],
    routing: true,
    priority: 30,
  });
  expect(snapshotSegments([])).toEqual({ segments: [], routing: false, priority: 0 });
});

test.each([
  [0, '0 s'],
  [59_999, '59 s'],
  [60_000, '1 min'],
  [3_599_000, '59 min'],
  [3_900_000, '1 h 5 min'],
])('formatWait(%d) = %s', (ms, text) => expect(formatWait(ms)).toBe(text));

describe('asks for a person', () => {
  test.each([
    'agent',
    'I want an AGENT please',
    'can I speak to a human?',
    'Human!',
    'let me talk to someone',
    'Talk  to   someone now',
    'is there a real person there',
    '/agent',
    '  /Agent  ',
    'any agents around?',
    'agent, please',
  ])('matches %p', (text) => expect(asksForPerson(text)).toBe(true));

  test.each([
    'agenda',
    "what's on the agenda",
    'that is humane',
    'humanity',
    'reagent',
    'agentur',
    'talk to something',
    'a person',
    'agentic',
    'hello',
    '',
  ])('does not match %p', (text) => expect(asksForPerson(text)).toBe(false));
});

test.each([
  ['end', true],
  ['END', true],
  ['/end', true],
  ['bye', true],
  ['Bye!', true],
  ['goodbye.', true],
  ['the end of the week', false],
  ['bye for now, thanks', false],
  ['weekend', false],
])('isCustomerEnd(%p) = %p', (text, expected) => expect(isCustomerEnd(text)).toBe(expected));

test.each([
  ['/queue', { kind: 'queue' }],
  ['/QUEUE ', { kind: 'queue' }],
  ['/accept', { kind: 'accept', position: 1 }],
  ['/accept 3', { kind: 'accept', position: 3 }],
  ['/end', { kind: 'end' }],
  ['/accept 0', { kind: 'usage' }],
  ['/accept two', { kind: 'usage' }],
  ['/queue all', { kind: 'usage' }],
  ['hello', undefined],
  ['/queued', undefined],
  ['please /accept', undefined],
])('parseAgentCommand(%p)', (text, expected) => {
  const got = parseAgentCommand(text);
  if (expected === undefined) expect(got).toBeUndefined();
  else expect(got).toMatchObject(expected);
});
