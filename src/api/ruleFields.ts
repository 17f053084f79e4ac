/**
 * GET /api/v1/rules/fields: what a rule may name in this workspace, for the console's rule
 * builder. The catalogue (standard fields, their types, the operators each type allows, the
 * intents `asked about` knows, the window limits) plus the tags and custom fields the workspace's
 * contacts actually carry, read from a bounded sample of the newest contacts (the `{workspaceId,
 * _id}` index serves it): a suggestion list, never a limit, since a rule may name any tag or key.
 */
import type { Collection } from 'mongodb';
import type { Request, Response, Server } from 'restify';
import type { Contact } from '../domain/contacts/types';
import { fieldCatalogue } from '../rules';
import { API_PREFIX, workspaceOf } from './auth';

/** Contacts read per request: enough to see the fields in use, cheap at any workspace size. */
export const FIELD_SAMPLE = 2000;
/** At most this many tags and custom keys are suggested (the most frequent first). */
export const MAX_SUGGESTIONS = 200;

export type CustomType = 'string' | 'number' | 'boolean' | 'date';

export interface WorkspaceFields {
  tags: { name: string; contacts: number }[];
  custom: { key: string; type: CustomType | 'mixed'; contacts: number }[];
  sampled: number;
}

function typeOf(v: unknown): CustomType | undefined {
  if (v instanceof Date) return 'date';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return typeof v === 'boolean' ? 'boolean' : undefined;
}

/** Tags and custom keys of a sample of contacts, by how many carry each (then by name). */
export function fieldsOf(contacts: readonly Pick<Contact, 'tags' | 'custom'>[]): WorkspaceFields {
  const tags = new Map<string, { name: string; contacts: number }>();
  const custom = new Map<string, { key: string; type: CustomType | 'mixed'; contacts: number }>();
  for (const c of contacts) {
    // Tags compare case-insensitively: one suggestion per tag, spelt as first seen.
    for (const t of new Set((c.tags ?? []).map((x) => x.toLowerCase()))) {
      const seen = tags.get(t);
      if (seen) seen.contacts++;
      else tags.set(t, { name: c.tags.find((x) => x.toLowerCase() === t) ?? t, contacts: 1 });
    }
    for (const [key, value] of Object.entries(c.custom ?? {})) {
      const type = typeOf(value);
      if (type === undefined) continue; // null: the key says nothing about its type
      const seen = custom.get(key);
      if (!seen) custom.set(key, { key, type, contacts: 1 });
      else {
        seen.contacts++;
        if (seen.type !== type) seen.type = 'mixed';
      }
    }
  }
  const top = <T extends { contacts: number }>(m: Map<string, T>, name: (x: T) => string): T[] =>
    [...m.values()]
      .sort((a, b) => b.contacts - a.contacts || name(a).localeCompare(name(b)))
      .slice(0, MAX_SUGGESTIONS);
  return {
    tags: top(tags, (t) => t.name),
    custom: top(custom, (c) => c.key),
    sampled: contacts.length,
  };
}

export function registerRuleFieldRoute(server: Server, contacts: Collection<Contact>): void {
  server.get(`${API_PREFIX}/rules/fields`, async (req: Request, res: Response) => {
    const sample = await contacts
      .find({ workspaceId: workspaceOf(req) }, { projection: { _id: 0, tags: 1, custom: 1 } })
      .sort({ _id: -1 })
      .limit(FIELD_SAMPLE)
      .toArray();
    const c = fieldCatalogue;
    res.send(200, {
      fields: c.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
      operatorsByType: c.operatorsByType,
      custom: { prefix: c.custom.prefix, keyPattern: c.custom.keyPattern },
      intents: c.intents,
      windows: c.windows,
      workspace: fieldsOf(sample),
    });
  });
}
