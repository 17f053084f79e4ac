/**
 * `npm run import -- contacts.csv|contacts.ndjson`: imports a contact file into the bot's
 * workspace through ImportService (the same code as POST /contacts/import), 1,000 at a time,
 * with a progress bar on stderr. Uses the database of a running `npm start` when there is one,
 * else walks the database chain. Re-running the same file updates instead of duplicating.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { createCoreServices } from '../compose/core';
import { summaryOf } from '../api/import';
import { loadProcessConfig } from '../config';
import type { ImportResult } from '../domain/contacts/import';
import { provideDatabase } from '../infra/db/chain';
import { createLogger } from '../infra/logger';
import { Membership } from '../infra/membership';
import { connectMongo } from '../infra/mongo';
import { SegmentRepo } from '../infra/repos/segments';
import { contactFromCsv, progressBar } from './rows';

const CHUNK = 1000;

async function* records(file: string): AsyncGenerator<unknown> {
  const stream = fs.createReadStream(file, 'utf8');
  if (path.extname(file).toLowerCase() === '.csv') {
    for await (const r of stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true })))
      yield contactFromCsv(r as Record<string, string>);
    return;
  }
  let rest = '';
  let line = 0;
  for await (const chunk of stream) {
    const lines = (rest + String(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      line++;
      if (l.trim()) yield parseLine(l, line);
    }
  }
  if (rest.trim()) yield parseLine(rest, line + 1);
}

/** A bad line becomes an item the import reports invalid, not the end of the import. */
function parseLine(l: string, n: number): unknown {
  try {
    return JSON.parse(l);
  } catch {
    return { invalidLine: n };
  }
}

async function countRecords(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file, 'utf8')) n += String(chunk).split('\n').length - 1;
  return path.extname(file).toLowerCase() === '.csv' ? Math.max(0, n - 1) : n;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) throw new Error('usage: npm run import -- <file.csv|file.ndjson>');
  const config = loadProcessConfig();
  const log = createLogger(config);
  const provided = await provideDatabase(config, { purpose: 'start', log, shareRunning: true });
  const conn = await connectMongo(provided.uri, config.dbName, log);
  try {
    const db = conn.db!;
    const repo = new SegmentRepo(db);
    const membership = new Membership(db, repo, log);
    await membership.ensureIndexes();
    const core = await createCoreServices(db, {
      listener: membership.engine,
      bulkListener: membership.engine,
    });
    const ws = config.bot.workspaceId;
    const total = await countRecords(file);
    const started = Date.now();
    const results: ImportResult[] = [];
    let batch: unknown[] = [];
    const send = async () => {
      const offset = results.length;
      const r = await core.importer.import(ws, batch);
      results.push(...r.map((x) => ({ ...x, index: x.index + offset })));
      batch = [];
      process.stderr.write(`\r${progressBar(results.length, total, Date.now() - started)}`);
    };
    for await (const rec of records(file)) {
      batch.push(rec);
      if (batch.length === CHUNK) await send();
    }
    if (batch.length) await send();
    process.stderr.write('\n');
    const s = summaryOf(results);
    console.log(`imported ${file}: ${s.created} created, ${s.updated} updated, ${s.invalid} invalid`);
    for (const r of results.filter((x) => x.status === 'invalid').slice(0, 20))
      console.log(`  record ${r.index + 1}: ${r.error?.message ?? 'invalid'}`);
    if (s.invalid > 0) process.exitCode = 2;
  } finally {
    await conn.close();
    await provided.stop();
  }
}

main().catch((err: unknown) => {
  console.error('import failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
