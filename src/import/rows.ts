/**
 * Pure: turns import file records into contact inputs for ImportService. CSV cells are text, so
 * known numeric and boolean columns are converted; anything else stays as given and the
 * contact schema reports it per item. Empty cells are absent. `tags` are separated by `;`,
 * `custom.<key>` columns become custom fields (as text).
 */

const NUMBERS = new Set([
  'lifetimeValue',
  'purchaseCount',
  'conversationCount',
  'openDeals',
  'supportTickets',
  'totalTickets',
  'leadScore',
]);

/** One CSV record (header → cell) as a contact input. */
export function contactFromCsv(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [column, raw] of Object.entries(record)) {
    const cell = raw.trim();
    if (cell === '') continue;
    if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = cell;
    else if (column === 'tags')
      out.tags = cell
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
    else if (NUMBERS.has(column)) out[column] = /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    else if (column === 'optedOut') out[column] = cell === 'true' ? true : cell === 'false' ? false : cell;
    else out[column] = cell;
  }
  if (Object.keys(custom).length) out.custom = custom;
  return out;
}

/** Draws `[#####.....] 12,000/100,000  5,300/s` for a terminal. */
export function progressBar(done: number, total: number, elapsedMs: number, width = 30): string {
  const frac = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(frac * width);
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  const n = (x: number) => x.toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(done)}/${n(total)} contacts  ${n(rate)}/s`;
}
