/**
 * The simulation as a fast-check property: generated sequences run against one Product (two app
 * processes on one database), each in a workspace of its own. A failure is shrunk to a minimal
 * sequence and reported with its seed and path, which replay it:
 * `npm run simulate -- --seed=S --path=P` (or the jest test with SIM_SEED / SIM_PATH).
 */
import fc from 'fast-check';
import { arbSequence, type Op } from './ops';
import type { Driver } from './product';
import { Sequence, timed } from './run';

export interface SimulationOptions {
  runs: number;
  seed?: number;
  path?: string;
  /** Operations per sequence (default 6..20). */
  minLength?: number;
  maxLength?: number;
  /** Share of operations that restart a process (default 1/150: each costs about a second). */
  restartRate?: number;
  /** Called after each sequence, with how many have run. */
  progress?: (done: number) => void;
}

/** Runs one sequence of operations (also used to replay a printed counterexample). */
export async function runOps(p: Driver, ops: readonly Op[]): Promise<void> {
  await timed('new workspace', () => p.newWorkspace());
  const seq = new Sequence(p);
  try {
    await seq.init();
    for (const op of ops) await seq.run(op);
    await timed('finish', () => seq.finish());
  } finally {
    await timed('drop', () => p.dropWorkspaceData());
  }
}

export async function simulate(p: Driver, o: SimulationOptions): Promise<void> {
  let done = 0;
  await fc.assert(
    fc.asyncProperty(
      arbSequence({
        minLength: o.minLength ?? 6,
        maxLength: o.maxLength ?? 20,
        restartRate: o.restartRate ?? 1 / 150,
      }),
      async (ops) => {
        await runOps(p, ops);
        o.progress?.(++done);
      },
    ),
    {
      numRuns: o.runs,
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...(o.path === undefined ? {} : { path: o.path }),
    },
  );
}
