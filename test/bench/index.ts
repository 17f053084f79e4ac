/**
 * `npm run bench`: runs every benchmark, or one with `--only=<name>`. Options: `--contacts=N`.
 * To add a benchmark, add an entry to BENCHES.
 */
import path from 'node:path';
import { applyEnvFile } from '../../src/config';
import { benchBot } from './bot';
import { benchImport } from './importBench';
import { benchIngest } from './ingest';
import { benchDirectLine } from './directline';
import { benchCampaigns } from './campaigns';
import { benchRebuild } from './rebuildBench';
import { benchFlows } from './flows';
import { benchConversationRules } from './conversationRules';
import { benchMembership } from './membership';
import { benchReports } from './reports';
import { benchRules } from './rules';

export interface BenchOptions {
  contacts?: number;
  /** Requests in flight, for the benchmarks that take it (bot). */
  concurrency?: number;
}

type Bench = (log: (line: string) => void, opts: BenchOptions) => Promise<boolean>;

const BENCHES: Record<string, Bench> = {
  rules: benchRules,
  'conversation-rules': benchConversationRules,
  membership: benchMembership,
  bot: benchBot,
  ingest: benchIngest,
  directline: benchDirectLine,
  campaigns: benchCampaigns,
  reports: benchReports,
  import: benchImport,
  rebuild: benchRebuild,
  flows: benchFlows,
};

function parseArgs(argv: string[]): { only?: string; opts: BenchOptions } {
  const out: { only?: string; opts: BenchOptions } = { opts: {} };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=', 2);
    if (key === 'only' && value) out.only = value;
    else if (key === 'contacts' && value && /^\d+$/.test(value)) out.opts.contacts = Number(value);
    else if (key === 'concurrency' && value && /^[1-9]\d*$/.test(value)) out.opts.concurrency = Number(value);
    else
      throw new Error(
        `unknown argument ${arg}: use --only=${Object.keys(BENCHES).join('|')} --contacts=N --concurrency=N`,
      );
  }
  return out;
}

async function main(): Promise<void> {
  // Like every entry point: `.env` fills in what the real environment leaves unset.
  applyEnvFile(path.resolve('.env'));
  const { only, opts } = parseArgs(process.argv.slice(2));
  const names = only ? [only] : Object.keys(BENCHES);
  let ok = true;
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`no benchmark "${name}": choose one of ${Object.keys(BENCHES).join(', ')}`);
    console.log(`== ${name} (node ${process.version}) ==`);
    ok = (await bench((line) => console.log(line), opts)) && ok;
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
