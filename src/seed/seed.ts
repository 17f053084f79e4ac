/**
 * Seeds a workspace with the demo data set through the same services the API uses (so traits,
 * memberships and transitions are real). The demo's last 90 days are replayed one day at a time
 * on a clock of the seed's own: the segments and the list exist from the first day, each contact
 * is created on its day and each event applied on its day, and the sweeper moves time-based
 * memberships ("New This Week", "Inactive 30 Days") on the days they change. So the transition
 * feed, and every history chart, holds 90 days of entries and exits instead of one jump today.
 *
 * Idempotent: contacts are found by externalId, events are deduplicated by eventId, segments and
 * the list by name. The replay needs the database to itself: a running server's sweeper works on
 * today's clock and would move the seeded contacts before their day (main.ts refuses then).
 */
import type { Db } from 'mongodb';
import { createCoreServices } from '../compose/core';
import { SegmentService } from '../domain/segments/service';
import type { Logger } from '../infra/logger';
import { Membership } from '../infra/membership';
import { SegmentRepo } from '../infra/repos/segments';
import { DEMO_LIST, DEMO_SEGMENTS, demoContacts, HISTORY_DAYS, type DemoContact } from './demo';

const DAY = 86_400_000;
/** The event API's largest batch. */
const BATCH = 1000;

export interface SeedResult {
  created: number;
  applied: number;
  /** Members per demo segment and list, by name. */
  sizes: Record<string, number>;
}

type DemoEvent = DemoContact['events'][number];

/** Each replayed day's new contacts and events; day 0 holds everything from before the 90 days. */
function timeline(contacts: DemoContact[], start: number) {
  const days = Array.from({ length: HISTORY_DAYS + 1 }, () => ({
    contacts: [] as DemoContact[],
    events: [] as { contact: DemoContact; event: DemoEvent }[],
  }));
  const dayOf = (ms: number) => Math.min(HISTORY_DAYS, Math.max(0, Math.ceil((ms - start) / DAY)));
  for (const contact of contacts) {
    days[dayOf(contact.createdAt.getTime())]!.contacts.push(contact);
    for (const event of contact.events) days[dayOf(Date.parse(event.at))]!.events.push({ contact, event });
  }
  return days;
}

export async function seedDemo(
  db: Db,
  ws: string,
  count: number,
  log: Logger,
  now: Date = new Date(),
): Promise<SeedResult> {
  const start = now.getTime() - HISTORY_DAYS * DAY;
  let at = start;
  const clock = () => new Date(at);
  const repo = new SegmentRepo(db);
  await repo.ensureIndexes();
  const membership = new Membership(db, repo, log, { clock });
  await membership.ensureIndexes();
  const core = await createCoreServices(db, {
    listener: membership.engine,
    bulkListener: membership.engine,
    clock,
  });
  const segments = new SegmentService({
    store: repo,
    now: clock,
    definitionChanged: (w, id) => membership.rebuilder.request(w, id),
  });
  const rebuildAll = async () => {
    while ((await membership.rebuilder.runOnce()) > 0 || (await membership.rebuilder.pending()) > 0) {
      // until every rebuild is done
    }
  };
  const sweepAll = async () => {
    while ((await membership.sweep()) > 0) {
      // until no time-based recheck is due on the seed's clock
    }
  };
  const started = Date.now();

  // The segments and the list exist from the first replayed day, so each day's changes are theirs.
  for (const s of DEMO_SEGMENTS) {
    if (!(await repo.getByName(ws, s.name))) await segments.create(ws, { ...s }, 'seed');
  }
  const list =
    (await repo.getByName(ws, DEMO_LIST.name)) ??
    (await segments.create(ws, { name: DEMO_LIST.name }, 'seed'));
  await rebuildAll();

  let created = 0;
  let applied = 0;
  const ids = new Map<string, string>();
  const days = timeline(demoContacts(count, now), start);
  for (const [day, todo] of days.entries()) {
    at = start + day * DAY;
    await sweepAll();
    for (const c of todo.contacts) {
      let contact = await core.contactRepo.findByExternalId(ws, c.externalId);
      if (!contact) {
        const { name, email, tags, custom, externalId } = c;
        const body = { externalId, name, email, tags, custom, createdAt: c.createdAt.toISOString() };
        contact = (await core.contacts.upsert(ws, body)).contact;
        if (c.tags.includes(DEMO_LIST.tag))
          await membership.engine.setListMember(ws, contact._id, list._id, true);
        created++;
      }
      ids.set(c.externalId, contact._id);
    }
    const events = todo.events.map(({ contact, event }) => ({
      ...event,
      contactId: ids.get(contact.externalId)!,
    }));
    for (let i = 0; i < events.length; i += BATCH) {
      const results = await core.events.ingest(ws, events.slice(i, i + BATCH));
      applied += results.filter((r) => r.status === 'applied').length;
    }
    if (day % 30 === 0) log.info(`seed: day ${day} of ${HISTORY_DAYS}, ${created} contacts created`);
  }
  at = now.getTime();
  await sweepAll();
  await rebuildAll();

  const sizes: Record<string, number> = {};
  for (const name of [...DEMO_SEGMENTS.map((s) => s.name), DEMO_LIST.name]) {
    const seg = await repo.getByName(ws, name);
    sizes[name] = seg ? await membership.queries.memberCount(ws, seg._id) : 0;
  }
  log.info(
    { created, applied, sizes, ms: Date.now() - started },
    `seed: ${created} contacts created, ${applied} events applied in workspace "${ws}" over ${HISTORY_DAYS} days`,
  );
  return { created, applied, sizes };
}
