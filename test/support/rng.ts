/** The project's seeded PRNG, for tests and benchmarks. */
export { Rng } from '../../src/util/rng';
