/** CSV records to contact inputs, and the progress bar of `npm run import`. */
import { parse } from 'csv-parse/sync';
import { contactFromCsv, progressBar } from '../../../src/import/rows';

test('quoted cells, numbers, tags, custom fields; empty cells are absent; bad numbers stay text', () => {
  const csv =
    'externalId,name,lifetimeValue,tags,custom.plan,optedOut,phone\n' +
    'a1,"Smith, ""Ann""",6000.5,VIP; Beta,pro,true,\n' +
    'a2,Bob,lots,,,maybe,+1 555\n';
  const rows = parse<Record<string, string>>(csv, { columns: true }).map(contactFromCsv);
  expect(rows).toEqual([
    {
      externalId: 'a1',
      name: 'Smith, "Ann"',
      lifetimeValue: 6000.5,
      tags: ['VIP', 'Beta'],
      custom: { plan: 'pro' },
      optedOut: true,
    },
    { externalId: 'a2', name: 'Bob', lifetimeValue: 'lots', optedOut: 'maybe', phone: '+1 555' },
  ]);
});

test('progress bar', () => {
  expect(progressBar(500, 1000, 1000, 10)).toBe('[#####.....] 500/1,000 contacts  500/s');
  expect(progressBar(0, 0, 0, 4)).toBe('[####] 0/0 contacts  0/s');
});
