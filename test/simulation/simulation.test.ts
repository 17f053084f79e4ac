/**
 * The simulation in CI: at least 200 generated sequences (SIM_RUNS to change it, SIM_SEED and
 * SIM_PATH to replay a failure) against the real app, twice on one database, on a manual clock.
 * `npm run simulate -- --runs=N` runs long campaigns outside jest (test/simulation/cli.ts).
 */
import { Product } from './product';
import { simulate } from './property';
import { formatStats } from './run';

const runs = Number(process.env.SIM_RUNS ?? 200);
const seed = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED);
const path = process.env.SIM_PATH;

let p: Product;
beforeAll(async () => {
  p = new Product('sim');
  await p.open();
}, 60_000);
afterAll(() => p.close(), 60_000);

test(`${runs} generated sequences: memberships and the transitions feed equal the model`, async () => {
  const started = Date.now();
  await simulate(p, {
    runs,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });

  console.log(
    `simulation: ${runs} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s\n${formatStats()}`,
  );
}, 600_000);
