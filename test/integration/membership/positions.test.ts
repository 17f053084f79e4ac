/**
 * Dispatch positions are unique under concurrency: many allocations at once on the test server
 * (mongo-java-server returned a stale counter here before the allocation projected its result).
 */
import { allocatePositions } from '../../../src/infra/membership/store';
import { membershipFixture, type Fixture } from '../../support/membershipFixture';

let f: Fixture;
beforeAll(async () => {
  f = await membershipFixture();
});
afterAll(() => f.close());

test('500 concurrent allocations of 1–3 positions never overlap', async () => {
  const sizes = Array.from({ length: 500 }, (_, i) => 1 + (i % 3));
  const firsts = await Promise.all(sizes.map((n) => allocatePositions(f.membership.collections, n)));
  const taken = firsts.flatMap((first, i) => Array.from({ length: sizes[i]! }, (_, k) => first + k));
  expect(new Set(taken).size).toBe(taken.length);
  expect(Math.max(...taken)).toBe(sizes.reduce((a, b) => a + b, 0));
});
