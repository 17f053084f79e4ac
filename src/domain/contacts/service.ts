/**
 * Contact writes: create/upsert, patch, tags, custom fields, delete, list. Read-modify-write
 * changes are version-checked and retried (no transactions: DESIGN §2.1), and every write is
 * followed by `contactChanged` so membership follows at once.
 */
import { ConflictError, NotFoundError } from '../../errors';
import { customKeyProblem, MAX_CUSTOM_KEYS, toCustomValue } from './custom';
import { parseOrThrow, validationError } from './parse';
import { filterOf, parseListQuery } from './listQuery';
import type { ContactFields, ContactRepo } from './repo';
import { changeTags, MAX_TAGS } from './tags';
import {
  ZERO_TRAITS,
  type ChannelIdentity,
  type Contact,
  type ContactChangeListener,
  type Traits,
} from './types';
import { contactInputSchema, contactPatchSchema, customPutSchema, tagChangeSchema } from './validation';
import { applyInput, applyPatch, fieldsOf, fieldsOfContact, futureProblems, initialTraitsOf } from './merge';

export interface ContactServiceDeps {
  repo: ContactRepo & { newId(): string };
  listener: ContactChangeListener;
  clock?: () => Date;
}

/** A page of contacts; `nextCursor` is null on the last page. */
export interface ContactPage {
  items: Contact[];
  nextCursor: string | null;
}

const MAX_ATTEMPTS = 8;

export class ContactService {
  private readonly now: () => Date;
  constructor(private readonly deps: ContactServiceDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  /** Creates a contact, or updates the one with the same externalId (else email). */
  async upsert(workspaceId: string, body: unknown): Promise<{ contact: Contact; created: boolean }> {
    const input = parseOrThrow(contactInputSchema, body);
    const future = futureProblems(input, this.now());
    if (future.length) throw validationError(future);
    for (let attempt = 1; ; attempt++) {
      const existing = await this.findMatch(workspaceId, input.externalId, input.email);
      if (existing) {
        const updated = await this.deps.repo.update(
          workspaceId,
          existing._id,
          existing.version,
          applyInput(existing, input, this.now()),
          this.now(),
        );
        if (updated) return { contact: await this.changed(updated), created: false };
      } else {
        const contact = this.newContact(workspaceId, fieldsOf(input, this.now()), initialTraitsOf(input));
        try {
          await this.deps.repo.insert(contact);
          return { contact: await this.changed(contact), created: true };
        } catch (err) {
          // A concurrent upsert of the same key inserted first: go round and update it instead.
          if (!(err instanceof ConflictError) || attempt >= 3) throw err;
        }
      }
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError('contact is changing too fast; retry');
    }
  }

  /**
   * The contact behind a channel identity, created on first contact with the channel's name for
   * the user. Race-safe: the unique identity index lets one insert in; the loser reads the winner.
   */
  async resolveChannelContact(ws: string, identity: ChannelIdentity, name: string) {
    const existing = await this.deps.repo.findByIdentity(ws, identity);
    if (existing) return { contact: existing, created: false };
    const fields = fieldsOf({ name: name.trim().slice(0, 200), identities: [identity] }, this.now());
    const contact = this.newContact(ws, fields);
    try {
      await this.deps.repo.insert(contact);
    } catch (err) {
      const winner = err instanceof ConflictError ? await this.deps.repo.findByIdentity(ws, identity) : null;
      if (!winner) throw err;
      return { contact: winner, created: false };
    }
    return { contact: await this.changed(contact), created: true };
  }

  async get(workspaceId: string, id: string): Promise<Contact> {
    const c = await this.deps.repo.findById(workspaceId, id);
    if (!c) throw new NotFoundError('contact', id);
    return c;
  }

  async patch(workspaceId: string, id: string, body: unknown): Promise<Contact> {
    const patch = parseOrThrow(contactPatchSchema, body);
    if (Object.keys(patch).length === 0) throw validationError([{ path: '', problem: 'nothing to change' }]);
    return this.mutate(workspaceId, id, (c) => applyPatch(c, patch, this.now()));
  }

  /** Adds then removes tags (case-insensitive); at most 100 tags in all. */
  async changeTags(workspaceId: string, id: string, body: unknown): Promise<Contact> {
    const { add = [], remove = [] } = parseOrThrow(tagChangeSchema, body);
    return this.mutate(workspaceId, id, (c) => {
      const tags = changeTags(c.tags, add, remove);
      if (tags.length > MAX_TAGS)
        throw validationError([{ path: 'add', problem: `at most ${MAX_TAGS} tags` }]);
      return { ...fieldsOfContact(c), tags };
    });
  }

  async setCustom(workspaceId: string, id: string, key: string, body: unknown): Promise<Contact> {
    const problem = customKeyProblem(key);
    if (problem) throw validationError([{ path: 'key', problem }]);
    const result = toCustomValue(parseOrThrow(customPutSchema, body).value);
    if (!result.ok) throw validationError([{ path: 'value', problem: result.problem }]);
    return this.mutate(workspaceId, id, (c) => {
      if (!Object.hasOwn(c.custom, key) && Object.keys(c.custom).length >= MAX_CUSTOM_KEYS) {
        throw validationError([{ path: 'key', problem: `at most ${MAX_CUSTOM_KEYS} custom fields` }]);
      }
      return { ...fieldsOfContact(c), custom: { ...c.custom, [key]: result.value } };
    });
  }

  async deleteCustom(workspaceId: string, id: string, key: string): Promise<Contact> {
    const problem = customKeyProblem(key);
    if (problem) throw validationError([{ path: 'key', problem }]);
    return this.mutate(workspaceId, id, (c) => {
      const custom = { ...c.custom };
      delete custom[key];
      return { ...fieldsOfContact(c), custom };
    });
  }

  /**
   * The membership engine first records the contact's exits (a deleted contact leaves every
   * segment, and subscribers must hear it); the delete then applies only at the version that
   * left everything, so a change in between (an event re-entering it) goes round again.
   */
  async delete(workspaceId: string, id: string): Promise<void> {
    const { listener, repo } = this.deps;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const version = listener.contactDeleting ? await listener.contactDeleting(workspaceId, id) : undefined;
      if (version === null) throw new NotFoundError('contact', id);
      if (await repo.delete(workspaceId, id, version)) return;
      if (version === undefined) throw new NotFoundError('contact', id);
    }
    throw new ConflictError('contact is changing too fast; retry');
  }

  /** Keyset pagination by `_id` (none seen twice or skipped), narrowed by the filters of listQuery.ts. */
  async list(workspaceId: string, query: unknown): Promise<ContactPage> {
    const q = parseListQuery(query);
    const limit = q.limit ?? 50;
    const after = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
    const items = await this.deps.repo.list(workspaceId, after, limit, filterOf(q));
    const last = items[items.length - 1];
    const nextCursor =
      items.length === limit && last ? Buffer.from(last._id, 'utf8').toString('base64url') : null;
    return { items, nextCursor };
  }

  private async findMatch(workspaceId: string, externalId?: string, email?: string): Promise<Contact | null> {
    const repo = this.deps.repo;
    const byExternal = externalId === undefined ? null : await repo.findByExternalId(workspaceId, externalId);
    if (byExternal || email === undefined) return byExternal;
    const byEmail = await repo.findByEmail(workspaceId, email);
    // An email match with a different externalId is another person: inserting will report the conflict.
    if (byEmail && externalId !== undefined && byEmail.externalId !== undefined) return null;
    return byEmail;
  }

  private async mutate(
    workspaceId: string,
    id: string,
    change: (c: Contact) => ContactFields,
  ): Promise<Contact> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.get(workspaceId, id);
      const updated = await this.deps.repo.update(
        workspaceId,
        id,
        current.version,
        change(current),
        this.now(),
      );
      if (updated) return this.changed(updated);
    }
    throw new ConflictError('contact is changing too fast; retry');
  }

  /** A new contact; `createdAt` may come from `fields` (an import), `updatedAt` is always ours. */
  newContact(workspaceId: string, fields: ContactFields, traits: Partial<Traits> = {}): Contact {
    const now = this.now();
    return {
      ...ZERO_TRAITS,
      ...traits,
      ...fields,
      _id: this.deps.repo.newId(),
      workspaceId,
      createdAt: fields.createdAt ?? now,
      updatedAt: now,
      segments: [],
      nextRecheckAt: null,
      version: 1,
    };
  }

  /** Membership follows at once; read again so callers see the segments after the change. */
  private async changed(c: Contact): Promise<Contact> {
    await this.deps.listener.contactChanged(c.workspaceId, c._id, 'contact');
    return (await this.deps.repo.findById(c.workspaceId, c._id)) ?? c;
  }
}
