/**
 * Issue 25, graceful stop with the real server process: SIGTERM mid-campaign and mid-flow. The
 * process exits 0 within the drain bound (SHUTDOWN_TIMEOUT_MS); no send starts after the signal
 * (no record's send began after it); everything in flight is recorded (nothing left `sending`
 * or `started`, so nothing turns `unknown`); the channel's count equals `sent`. After a restart
 * the rest goes out, each recipient once. Before: the sender kept claiming and sending for the
 * whole 10 s drain, then the database closed under it and its records ended `unknown`.
 */
import { WELCOME_STEPS, CrashHarness, until } from '../support/crashHarness';
import type { Started } from '../support/processes';

jest.setTimeout(240_000);
const DRAIN_MS = 10_000;

/**
 * When the server handled the signal (its "shutting down" log line): the gate closes there. The
 * signal itself reaches a busy event loop some milliseconds after `kill()`.
 */
function handledAt(s: Started): Date {
  const line = s
    .output()
    .split('\n')
    .find((l) => l.includes('"msg":"shutting down"'));
  if (!line) throw new Error('no "shutting down" line');
  return new Date((JSON.parse(line) as { time: number }).time);
}

describe('SIGTERM mid-campaign', () => {
  const h = new CrashHarness(`e2e_delivery_stop_c_${process.pid}`, {
    FLOWS_BUILT_IN: 'false',
    SHUTDOWN_TIMEOUT_MS: String(DRAIN_MS),
  });
  beforeAll(() => h.open());
  afterAll(() => h.close());

  test('exit 0 within the drain bound; 0 unknown; channel count == sent; nothing sent after the signal', async () => {
    const s = await h.start();
    const list = (await h.api('POST', '/segments', { name: 'Stop list', type: 'static' }))._id as string;
    const people = await h.seed(200, [list], 'stop-');
    const c = await h.api('POST', '/campaigns', {
      name: 'Stop',
      audience: { segment: list },
      template: { text: 'Hi {{contact.name}}' },
      ratePerSecond: 20,
    });
    const id = c._id as string;
    await h.api('POST', `/campaigns/${id}/start`);
    await until(async () => h.channel.received.length >= 30, 60_000, '30 messages');
    const signalled = new Date();
    s.child.kill('SIGTERM');
    const code = await s.exited;
    const tookMs = Date.now() - signalled.getTime();
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(DRAIN_MS);

    const deliveries = h.db.collection<{ status: string; sendingAt?: Date; contactId: string }>(
      'campaign_deliveries',
    );
    const records = await deliveries.find({ campaignId: id }).toArray();
    const by = (st: string) => records.filter((r) => r.status === st);
    expect(by('sending')).toEqual([]);
    expect(by('unknown')).toEqual([]);
    expect(h.channel.received.length).toBe(by('sent').length);
    // No send began after the server had the signal (the records' own instants, same clock).
    const gateClosed = handledAt(s);
    expect(records.filter((r) => r.status !== 'pending' && r.sendingAt && r.sendingAt > gateClosed)).toEqual(
      [],
    );
    expect(by('pending').length).toBeGreaterThan(0); // the rest waits for the next start
    process.stdout.write(
      `\nSIGTERM mid-campaign: exit ${code} after ${tookMs} ms; sent ${by('sent').length}, ` +
        `pending ${by('pending').length}, unknown 0; channel ${h.channel.received.length}\n`,
    );

    // The next start sends the rest: each recipient exactly once.
    await h.start();
    await until(
      async () => (await h.api('GET', `/campaigns/${id}`)).status === 'completed',
      60_000,
      'completion',
    );
    const got = h.counts();
    expect(people.filter((p) => got.get(p.conversationId) !== 1)).toEqual([]);
    const last = h.running.at(-1)!;
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
  });
});

describe('SIGTERM mid-flow', () => {
  const h = new CrashHarness(`e2e_delivery_stop_f_${process.pid}`, {
    SHUTDOWN_TIMEOUT_MS: String(DRAIN_MS),
    FLOW_TIME_SCALE: String(1500 / 86_400_000), // 1 day → 1.5 s
  });
  beforeAll(() => h.open());
  afterAll(() => h.close());

  test('exit 0; every step in flight recorded; none after the signal; the rest after restart, once', async () => {
    const s = await h.start();
    const people = await h.seed(200, [], 'fstop-');
    await h.api('POST', '/segments', { name: 'New This Week', rule: 'createdAt within last 7 days' });
    await until(async () => h.channel.received.length >= 150, 60_000, '150 flow messages');
    const signalled = new Date();
    s.child.kill('SIGTERM');
    const code = await s.exited;
    const tookMs = Date.now() - signalled.getTime();
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(DRAIN_MS);
    const steps = h.db.collection<{ status: string; startedAt: Date; action: string }>('flow_steps');
    const all = await steps.find({ action: 'sendMessage' }).toArray();
    expect(all.filter((r) => r.status === 'started')).toEqual([]);
    expect(all.filter((r) => r.startedAt > handledAt(s))).toEqual([]);
    expect(h.channel.received.length).toBe(all.filter((r) => r.status === 'sent').length);
    process.stdout.write(
      `\nSIGTERM mid-flow: exit ${code} after ${tookMs} ms; steps sent ` +
        `${all.filter((r) => r.status === 'sent').length} of ${people.length * 3}, none started\n`,
    );

    await h.start();
    const instances = h.db.collection<{ status: string }>('flow_instances');
    await until(
      async () =>
        (await instances.countDocuments({})) >= people.length &&
        (await instances.countDocuments({ status: { $in: ['pending', 'running', 'dwelling'] } })) === 0,
      120_000,
      'every flow to finish',
    );
    for (const step of WELCOME_STEPS) {
      const got = h.counts(step.text);
      expect(people.filter((p) => got.get(p.conversationId) !== 1)).toEqual([]);
    }
    expect(await steps.countDocuments({ status: 'unknown' })).toBe(0);
    const last = h.running.at(-1)!;
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
  });
});
