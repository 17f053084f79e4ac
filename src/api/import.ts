/**
 * POST /api/v1/contacts/import: up to 10,000 contacts as a JSON array, `{"contacts": [...]}`, or
 * NDJSON (`Content-Type: application/x-ndjson`, one contact per line). The status is 200 when the
 * batch itself was readable; each item has its own result (created / updated / invalid + why).
 */
import type { Request, Response, Server } from 'restify';
import type { ImportResult, ImportService } from '../domain/contacts/import';
import { ValidationError } from '../errors';
import { API_PREFIX, workspaceOf } from './auth';
import { batchOf } from './batch';
import { onlyPost } from './methods';

export const IMPORT_PATH = `${API_PREFIX}/contacts/import`;
/** 10,000 contacts of about 1.5 KB each; every other route keeps the 1 MiB limit. */
export const IMPORT_MAX_BYTES = 16 * 1_048_576;

export function registerImportRoute(server: Server, deps: { importer: ImportService }): void {
  server.post(IMPORT_PATH, async (req: Request, res: Response) => {
    const results = await deps.importer.import(workspaceOf(req), itemsOf(req));
    res.send(200, { results, summary: summaryOf(results) });
  });
  onlyPost(server, IMPORT_PATH);
}

export function summaryOf(results: ImportResult[]): Record<ImportResult['status'], number> {
  const summary = { created: 0, updated: 0, invalid: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

function itemsOf(req: Request): unknown {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const body: unknown = req.body;
  if (type === 'application/x-ndjson' || type === 'application/ndjson') {
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
    return parseNdjson(text);
  }
  if (type !== 'application/json' && !type.endsWith('+json'))
    throw new ValidationError(
      'Send application/json (an array) or application/x-ndjson',
      {},
      'UNSUPPORTED_TYPE',
    );
  return batchOf(body, 'contacts');
}

/** One JSON value per non-empty line; a bad line is reported with its line number. */
export function parseNdjson(text: string): unknown[] {
  const items: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      throw new ValidationError(`line ${i + 1} is not valid JSON`, { line: i + 1 }, 'INVALID_NDJSON');
    }
  }
  return items;
}
