/** `/report` parsing: every form and every mistake is a row. */
import { parseCommand } from '../../../bot/admin/parse';

test.each([
  ['/report "VIP Customers"', { kind: 'report', name: 'VIP Customers' }],
  ['/report VIP  Customers', { kind: 'report', name: 'VIP  Customers' }],
  ['/REPORT "compare"', { kind: 'report', name: 'compare' }],
  [
    '/report compare "VIP Customers" "At Risk"',
    { kind: 'report.compare', names: ['VIP Customers', 'At Risk'] },
  ],
  ['/report Compare A B C', { kind: 'report.compare', names: ['A', 'B', 'C'] }],
])('%s', (text, command) => {
  expect(parseCommand(text)).toEqual({ ok: true, command });
});

test.each([
  ['/report', /^Which segment\?/],
  ['/report ""', /^Which segment\?/],
  ['/report compare "A"', /^Name 2 to 10 segments/],
  ['/report compare', /^Name 2 to 10 segments/],
  ['/report compare "A" B', /double quotes/],
  ['/report compare "A" ""', /double quotes/],
  [`/report compare ${Array.from({ length: 11 }, (_, i) => `"S${i}"`).join(' ')}`, /^Name 2 to 10/],
])('%s → usage', (text, message) => {
  const r = parseCommand(text);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.message).toMatch(message);
    expect(r.usage).toContain('/report compare "<a>" "<b>"');
  }
});
