/**
 * `npm run simulate -- [--runs=N] [--seed=S] [--path=P] [--dry] [--max=L]`: the simulation outside
 * jest, for long campaigns and for replaying a failure. It starts its own database exactly as the
 * tests do (the chain with in-memory backends), runs N sequences (default 200), prints progress,
 * what the sequences exercised, and on failure the shrunk sequence with the seed and path that
 * replay it. `--dry` runs the generator against the model alone (no product), to tune it.
 */
import { loadConfig } from '../../src/config';
import { provideDatabase } from '../../src/infra/db/chain';
import { createLogger } from '../../src/infra/logger';
import { DryProduct } from './dry';
import { Product, type Driver } from './product';
import { simulate } from './property';
import { formatStats } from './run';

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
}

function int(name: string, fallback?: number): number | undefined {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got ${v}`);
  return n;
}

async function main(): Promise<void> {
  const runs = int('runs', 200)!;
  const seed = int('seed');
  const path = arg('path');
  const maxLength = int('max');
  const dry = arg('dry') !== undefined;
  let stopDb: (() => Promise<void>) | undefined;
  if (!dry) {
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
    const db = await provideDatabase(config, {
      purpose: 'test',
      log: createLogger({ logLevel: 'warn', version: config.version }),
    });
    process.env.MONGODB_URI = db.uri;
    stopDb = () => db.stop();
  }
  const p: Driver = dry ? new DryProduct() : new Product('cli');
  await p.open();
  const started = Date.now();
  let failed = false;
  try {
    await simulate(p, {
      runs,
      ...(seed === undefined ? {} : { seed }),
      ...(path === undefined ? {} : { path }),
      ...(maxLength === undefined ? {} : { maxLength }),
      progress: (n) => {
        if (n % 50 === 0 || n === runs) {
          const s = (Date.now() - started) / 1000;
          process.stdout.write(`${n}/${runs} sequences, ${s.toFixed(0)} s\n`);
        }
      },
    });
  } catch (err) {
    failed = true;
    const e = err as Error & { cause?: unknown };
    process.stdout.write(`\n${e.message}\n`);
    if (e.cause instanceof Error) process.stdout.write(`\nCause: ${e.cause.stack ?? e.cause.message}\n`);
    process.stdout.write(`\nReplay: npm run simulate -- --seed=<seed> --path=<path> (both printed above)\n`);
  } finally {
    await p.close();
    await stopDb?.();
  }
  process.stdout.write(`\n${formatStats()}\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(failed ? 1 : 0);
}

void main();
