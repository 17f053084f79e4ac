/**
 * Bulk import (POST /contacts/import, `npm run import`): up to 10,000 contacts per call, each
 * created or updated by externalId (else email) exactly like POST /contacts, with one result per
 * item. Work is done in chunks: two indexed lookups, one unordered insert of the new contacts
 * already evaluated into their segments, one guarded bulk update and one bulk membership
 * evaluation for the existing ones, instead of several queries per contact.
 * Whatever a bulk step cannot settle (a key taken meanwhile, a contact that moved on, a repeat
 * of a key earlier in the same import) goes through the one-contact upsert, so the outcome is
 * the same as importing the items one by one, in order.
 */
import { AppError } from '../../errors';
import { validationError } from './parse';
import type { ContactFields, ContactRepo } from './repo';
import type { ContactService } from './service';
import type { Contact } from './types';
import { applyInput, fieldsOf, futureProblems, initialTraitsOf } from './merge';
import { contactInputSchema, type ContactInput } from './validation';

export const MAX_IMPORT = 10_000;
const CHUNK = 1_000;

/** One item's outcome, in input order. */
export interface ImportResult {
  index: number;
  status: 'created' | 'updated' | 'invalid';
  id?: string;
  externalId?: string;
  email?: string;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** What the import needs beyond the one-contact service. */
export interface ImportRepo extends Pick<ContactRepo, 'findById'> {
  findByKeys(workspaceId: string, externalIds: string[], emails: string[]): Promise<Contact[]>;
  /** `evaluated`: the contacts' memberships and `nextRecheckAt` are set (else due for a recheck). */
  insertMany(contacts: Contact[], opts?: { evaluated?: boolean }): Promise<Set<number>>;
  updateMany(
    workspaceId: string,
    updates: { id: string; version: number; fields: ContactFields }[],
    now: Date,
  ): Promise<Set<string>>;
}

/** Membership for many contacts at once (the engine's `evaluateMany` and `createMany`). */
export interface BulkChangeListener {
  evaluateMany(workspaceId: string, ids: string[], cause: 'contact' | 'event'): Promise<unknown>;
  /**
   * Optional: evaluates new contacts and inserts them through `insert` with their memberships,
   * instead of an insert, a re-read and a membership write each. Answers what `insert` refused.
   */
  createMany?(
    workspaceId: string,
    contacts: Contact[],
    insert: (docs: Contact[]) => Promise<Set<number>>,
  ): Promise<Set<number>>;
}

interface Item {
  index: number;
  raw: unknown;
  input: ContactInput;
}

export class ImportService {
  constructor(
    private readonly deps: {
      contacts: ContactService;
      repo: ImportRepo;
      listener: BulkChangeListener;
      clock?: () => Date;
    },
  ) {}

  /** Imports 1..10,000 items; never throws for a bad item (it is reported `invalid`). */
  async import(workspaceId: string, items: unknown): Promise<ImportResult[]> {
    if (!Array.isArray(items) || items.length === 0)
      throw validationError([{ path: 'contacts', problem: 'must be a non-empty array of contacts' }]);
    if (items.length > MAX_IMPORT) {
      const problem = `at most ${MAX_IMPORT} contacts per import (got ${items.length})`;
      throw validationError([{ path: 'contacts', problem }], 'BATCH_TOO_LARGE');
    }
    const results: ImportResult[] = [];
    for (let i = 0; i < items.length; i += CHUNK)
      results.push(...(await this.chunk(workspaceId, items.slice(i, i + CHUNK), i)));
    return results;
  }

  private async chunk(ws: string, raws: unknown[], offset: number): Promise<ImportResult[]> {
    const now = this.deps.clock?.() ?? new Date();
    const results: ImportResult[] = [];
    const valid: Item[] = [];
    for (const [i, raw] of raws.entries()) {
      const checked = check(raw, now);
      if ('error' in checked) results[i] = { index: offset + i, status: 'invalid', error: checked.error };
      else valid.push({ index: offset + i, raw, input: checked.input });
    }
    // A key seen earlier in this chunk: settle it afterwards, one by one, in order.
    const seen = new Set<string>();
    const first: Item[] = [];
    const later: Item[] = [];
    for (const it of valid) {
      const keys = [`x:${it.input.externalId ?? ''}`, `e:${it.input.email ?? ''}`].filter(
        (k) => k.length > 2,
      );
      (keys.some((k) => seen.has(k)) ? later : first).push(it);
      keys.forEach((k) => seen.add(k));
    }
    const existing = await this.deps.repo.findByKeys(
      ws,
      first.flatMap((it) => (it.input.externalId ? [it.input.externalId] : [])),
      first.flatMap((it) => (it.input.email ? [it.input.email] : [])),
    );
    const byExternal = new Map(existing.flatMap((c) => (c.externalId ? [[c.externalId, c] as const] : [])));
    const byEmail = new Map(existing.flatMap((c) => (c.email ? [[c.email, c] as const] : [])));

    const creates: { it: Item; contact: Contact }[] = [];
    const updates: { it: Item; contact: Contact; fields: ContactFields }[] = [];
    for (const it of first) {
      const match = matchOf(it.input, byExternal, byEmail);
      try {
        if (match) updates.push({ it, contact: match, fields: applyInput(match, it.input, now) });
        else {
          const fields = fieldsOf(it.input, now);
          creates.push({ it, contact: this.deps.contacts.newContact(ws, fields, initialTraitsOf(it.input)) });
        }
      } catch (err) {
        results[it.index - offset] = invalid(it.index, err);
      }
    }
    const { listener, repo } = this.deps;
    const fresh = creates.map((c) => c.contact);
    const refused = listener.createMany
      ? await listener.createMany(ws, fresh, (docs) => repo.insertMany(docs, { evaluated: true }))
      : await repo.insertMany(fresh);
    const stale = await this.deps.repo.updateMany(
      ws,
      updates.map((u) => ({ id: u.contact._id, version: u.contact.version, fields: u.fields })),
      now,
    );
    const done: string[] = [];
    for (const [i, c] of creates.entries()) {
      if (refused.has(i)) later.push(c.it);
      else {
        results[c.it.index - offset] = ok(c.it, 'created', c.contact._id);
        if (!listener.createMany) done.push(c.contact._id);
      }
    }
    for (const u of updates) {
      if (stale.has(u.contact._id)) later.push(u.it);
      else {
        results[u.it.index - offset] = ok(u.it, 'updated', u.contact._id);
        done.push(u.contact._id);
      }
    }
    await listener.evaluateMany(ws, done, 'contact');
    later.sort((a, b) => a.index - b.index);
    for (const it of later) results[it.index - offset] = await this.one(ws, it);
    return results;
  }

  /** The one-contact path (it re-reads, retries and evaluates membership itself). */
  private async one(ws: string, it: Item): Promise<ImportResult> {
    try {
      const { contact, created } = await this.deps.contacts.upsert(ws, it.raw);
      return ok(it, created ? 'created' : 'updated', contact._id);
    } catch (err) {
      return invalid(it.index, err);
    }
  }
}

function check(
  raw: unknown,
  now: Date,
): { input: ContactInput } | { error: NonNullable<ImportResult['error']> } {
  const parsed = contactInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), problem: i.message }));
    return { error: errorOf(validationError(issues)) };
  }
  const input = parsed.data;
  const problems = futureProblems(input, now);
  if (input.externalId === undefined && input.email === undefined)
    problems.push({ path: 'externalId', problem: 'give externalId or email, so the import can be repeated' });
  return problems.length ? { error: errorOf(validationError(problems)) } : { input };
}

/** The same match rule as POST /contacts: externalId first, else an email not tied to another id. */
function matchOf(
  input: ContactInput,
  byExternal: Map<string, Contact>,
  byEmail: Map<string, Contact>,
): Contact | undefined {
  const x = input.externalId === undefined ? undefined : byExternal.get(input.externalId);
  if (x || input.email === undefined) return x;
  const e = byEmail.get(input.email);
  return e && input.externalId !== undefined && e.externalId !== undefined ? undefined : e;
}

const ok = (it: Item, status: 'created' | 'updated', id: string): ImportResult => ({
  index: it.index,
  status,
  id,
  ...(it.input.externalId ? { externalId: it.input.externalId } : {}),
  ...(it.input.email ? { email: it.input.email } : {}),
});

function invalid(index: number, err: unknown): ImportResult {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  return { index, status: 'invalid', error: errorOf(err) };
}

function errorOf(err: AppError): NonNullable<ImportResult['error']> {
  return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
}
