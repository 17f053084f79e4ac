/**
 * Seeds a workspace with the demo data set through the same services the API uses (so traits,
 * memberships and transitions are real). Idempotent: contacts are found by externalId, events
 * are deduplicated by eventId, segments and the list by name.
 */
import type { Db } from 'mongodb';
import { createCoreServices } from '../compose/core';
import { SegmentService } from '../domain/segments/service';
import type { Logger } from '../infra/logger';
import { Membership } from '../infra/membership';
import { SegmentRepo } from '../infra/repos/segments';
import { DEMO_LIST, DEMO_SEGMENTS, demoContacts } from './demo';

export interface SeedResult {
  created: number;
  applied: number;
  /** Members per demo segment and list, by name. */
  sizes: Record<string, number>;
}

export async function seedDemo(db: Db, ws: string, count: number, log: Logger): Promise<SeedResult> {
  const repo = new SegmentRepo(db);
  await repo.ensureIndexes();
  const membership = new Membership(db, repo, log);
  await membership.ensureIndexes();
  const core = await createCoreServices(db, { listener: membership.engine });
  const segments = new SegmentService({
    store: repo,
    now: () => new Date(),
    definitionChanged: (w, id) => membership.rebuilder.request(w, id),
  });
  const started = Date.now();

  let created = 0;
  let applied = 0;
  const contacts = demoContacts(count, new Date());
  for (const [i, c] of contacts.entries()) {
    let contact = await core.contactRepo.findByExternalId(ws, c.externalId);
    if (!contact) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- events go through the API below
      const { events: _events, createdAt, ...body } = c;
      contact = (await core.contacts.upsert(ws, body)).contact;
      // An import keeps the contact's history: its creation time is part of the data.
      await membership.collections.contacts.updateOne(
        { _id: contact._id, workspaceId: ws },
        { $set: { createdAt }, $inc: { version: 1 } },
      );
      created++;
    }
    const results = await core.events.ingest(
      ws,
      c.events.map((e) => ({ ...e, contactId: contact._id })),
    );
    applied += results.filter((r) => r.status === 'applied').length;
    if ((i + 1) % 500 === 0) log.info(`seed: ${i + 1}/${count} contacts`);
  }

  for (const s of DEMO_SEGMENTS) {
    if (!(await repo.getByName(ws, s.name))) await segments.create(ws, { ...s }, 'seed');
  }
  const list =
    (await repo.getByName(ws, DEMO_LIST.name)) ??
    (await segments.create(ws, { name: DEMO_LIST.name }, 'seed'));
  const beta = await membership.collections.contacts
    .find({ workspaceId: ws, tags: DEMO_LIST.tag }, { projection: { _id: 1 } })
    .toArray();
  for (const b of beta) await membership.engine.setListMember(ws, b._id, list._id, true);
  // Contacts created before the segments need the rebuild; run it here rather than wait for a server.
  while ((await membership.rebuilder.runOnce()) > 0 || (await membership.rebuilder.pending()) > 0) {
    // until every rebuild is done
  }

  const sizes: Record<string, number> = {};
  for (const name of [...DEMO_SEGMENTS.map((s) => s.name), DEMO_LIST.name]) {
    const seg = await repo.getByName(ws, name);
    sizes[name] = seg ? await membership.queries.memberCount(ws, seg._id) : 0;
  }
  log.info(
    { created, applied, sizes, ms: Date.now() - started },
    `seed: ${created} contacts created, ${applied} events applied in workspace "${ws}"`,
  );
  return { created, applied, sizes };
}
