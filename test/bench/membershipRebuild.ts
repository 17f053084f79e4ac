/**
 * (b) Preview and full rebuild of each seed segment over the whole workspace. Preview is the
 * filter's count plus a 20-contact sample; a rebuild walks the candidates (filter matches plus
 * current members) in `_id` batches and evaluates each through the engine's guarded write.
 * Baseline: the same segment's plain `countDocuments(filter)`.
 */
import { performance } from 'node:perf_hooks';
import type { Filter } from 'mongodb';
import type { Segment } from '../../src/domain/segments/types';
import { evaluateMembership } from '../../src/domain/membership/evaluate';
import type { Membership } from '../../src/infra/membership';
import type { ContactDoc } from '../../src/infra/membership/store';
import { compileMongo, formatRule } from '../../src/rules';
import { fmt, median, ms } from './stats';

const REPEAT = 3;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function repeat(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) times.push((await timed(fn)).ms);
  return median(times);
}

export async function benchRebuilds(
  m: Membership,
  workspaceId: string,
  contacts: number,
  seeds: readonly Segment[],
  log: (line: string) => void,
): Promise<void> {
  const ws = workspaceId;
  log(
    `(b) preview and full rebuild of each seed segment over ${fmt(contacts)} contacts ` +
      `(times: median of ${REPEAT}; rebuild: once, memberships already current so it mostly reads)`,
  );
  const compiled = await m.catalog.get(ws);
  for (const seg of seeds) {
    const rule = seg.rule!;
    const filter = (): Filter<ContactDoc> => ({
      $and: [{ workspaceId: ws }, compileMongo(rule, m.clock(), compiled.ctx) as Filter<ContactDoc>],
    });
    await m.queries.preview(ws, rule); // warm-up
    const count = await repeat(() => m.collections.contacts.countDocuments(filter()));
    const preview = await repeat(() => m.queries.preview(ws, rule));
    const matches = (await m.queries.preview(ws, rule)).count;
    const transitionsBefore = await m.collections.transitions.countDocuments({ workspaceId: ws });

    await m.rebuilder.request(ws, seg._id);
    const rebuild = await timed(async () => {
      let visited = 0;
      while ((await m.rebuilder.pending()) > 0) visited += await m.rebuilder.runOnce();
      return visited;
    });
    const written = (await m.collections.transitions.countDocuments({ workspaceId: ws })) - transitionsBefore;

    // Reference: one streamed read of the same candidates, evaluated in-process, no writes.
    const stream = await timed(async () => {
      const now = m.clock();
      let n = 0;
      const cursor = m.collections.contacts.find({
        $or: [filter(), { workspaceId: ws, 'segments.segmentId': seg._id }],
      });
      for await (const doc of cursor) {
        evaluateMembership(doc, compiled, now);
        n++;
      }
      return n;
    });

    log(`  ${seg.name}: ${formatRule(rule)} — ${fmt(matches)} matches`);
    log(`    baseline countDocuments(filter)   ${ms(count)}`);
    log(
      `    preview (count + 20 sample)       ${ms(preview)}   (${(preview / count).toFixed(2)}× the count)`,
    );
    log(
      `    full rebuild                      ${ms(rebuild.ms)}   visited ${fmt(rebuild.value)} contacts, ` +
        `${fmt(rebuild.value / (rebuild.ms / 1000))} contacts/s, ${(rebuild.ms / count).toFixed(1)}× the count; ` +
        `transitions written ${fmt(written)}`,
    );
    log(
      `    reference: one streamed find of the same candidates + in-process evaluate of all 20 segments: ` +
        `${ms(stream.ms)} for ${fmt(stream.value)} (${fmt(stream.value / (stream.ms / 1000))} contacts/s)`,
    );
  }
}
