/**
 * Loading the membership benchmark's contacts: the rule benchmark's synthetic contacts (seeded)
 * completed to the stored shape (ContactDoc: string `_id`, workspace, identities, version, more
 * custom fields), their memberships computed in-process with the compiled segments, and
 * `insertMany` in batches with `segments` and `nextRecheckAt` already set.
 */
import { performance } from 'node:perf_hooks';
import type { Collection } from 'mongodb';
import { ZERO_TRAITS, type CustomValue } from '../../src/domain/contacts/types';
import { evaluateMembership, type CompiledWorkspace } from '../../src/domain/membership/evaluate';
import type { ContactDoc } from '../../src/infra/membership/store';
import { Rng } from '../support/rng';
import { syntheticContacts } from './contacts';

const D = 86_400_000;
const REGIONS = ['eu', 'us', 'apac', 'latam'];

/** The stored id of the i-th benchmark contact (sortable, so `_id` batches follow creation order). */
export const contactId = (i: number): string => `c${String(i).padStart(8, '0')}`;

/** `n` stored contacts of `workspaceId`, seeded, as of `now`, with no memberships yet. */
export function benchContacts(n: number, workspaceId: string, now: Date, seed = 7): ContactDoc[] {
  const r = new Rng(seed * 7919);
  return syntheticContacts(n, now, seed).map((c, i): ContactDoc => {
    const custom: Record<string, CustomValue> = { ...(c.custom ?? {}) };
    if (r.chance(0.8)) custom.region = r.pick(REGIONS);
    if (r.chance(0.5)) custom.seats = 1 + Math.floor(Math.pow(r.next(), 3) * 200);
    if (r.chance(0.15)) custom.trialEndsAt = new Date(now.getTime() + (r.next() * 30 - 20) * D);
    return {
      ...ZERO_TRAITS,
      ...(c as Partial<ContactDoc>),
      _id: contactId(i),
      workspaceId,
      name: String(c.name),
      createdAt: c.createdAt as Date,
      updatedAt: c.updatedAt as Date,
      tags: c.tags ?? [],
      custom,
      optedOut: c.optedOut === true,
      identities: [{ channelId: 'webchat', userId: `u${i}` }],
      segments: [],
      nextRecheckAt: null,
      version: 1,
    };
  });
}

/** Sets each contact's `segments` and `nextRecheckAt` as the engine would at `now`. */
export function precompute(docs: ContactDoc[], ws: CompiledWorkspace, now: Date): void {
  for (const doc of docs) {
    const r = evaluateMembership(doc, ws, now);
    doc.segments = r.segments;
    doc.nextRecheckAt = r.nextRecheckAt;
  }
}

export interface LoadResult {
  generateMs: number;
  evaluateMs: number;
  insertMs: number;
}

/** Generates, precomputes and inserts `n` contacts in batches of `batch`. */
export async function loadContacts(
  contacts: Collection<ContactDoc>,
  ws: CompiledWorkspace,
  n: number,
  workspaceId: string,
  now: Date,
  batch = 2_000,
): Promise<LoadResult> {
  let t0 = performance.now();
  const docs = benchContacts(n, workspaceId, now);
  const generateMs = performance.now() - t0;
  t0 = performance.now();
  precompute(docs, ws, now);
  const evaluateMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < docs.length; i += batch) {
    await contacts.insertMany(docs.slice(i, i + batch), { ordered: false });
  }
  return { generateMs, evaluateMs, insertMs: performance.now() - t0 };
}
