/**
 * Pure: how validated input becomes a contact's writable fields. Upsert merges (tags, custom
 * fields and identities are added to what is there; given scalars replace); PATCH replaces what
 * it names, and `null` removes an optional field.
 */
import { MAX_CUSTOM_KEYS } from './custom';
import { validationError } from './parse';
import type { ContactFields } from './repo';
import { dedupeTags, MAX_TAGS } from './tags';
import type { ChannelIdentity, Contact, CustomValue, Traits } from './types';
import { PAST_FIELDS, type ContactInput, type ContactPatch } from './validation';

/** The domain part of an address, lower-case (the address is already lower-case). */
export function emailDomainOf(email: string | undefined): string | undefined {
  return email === undefined ? undefined : email.slice(email.lastIndexOf('@') + 1);
}

/** The writable fields of a stored contact, unchanged. */
export function fieldsOfContact(c: Contact): ContactFields {
  return {
    externalId: c.externalId,
    name: c.name,
    email: c.email,
    emailDomain: c.emailDomain,
    phone: c.phone,
    tags: c.tags,
    custom: c.custom,
    optedOut: c.optedOut,
    identities: c.identities,
    leadScore: c.leadScore,
    leadScoreAt: c.leadScoreAt,
  };
}

/** Fields of a new contact from create input. */
export function fieldsOf(input: ContactInput, now: Date): ContactFields {
  return applyInput(undefined, input, now);
}

/** Upsert: merge input into `base` (or into an empty contact). */
export function applyInput(base: Contact | undefined, input: ContactInput, now: Date): ContactFields {
  const f: ContactFields = base
    ? fieldsOfContact(base)
    : { name: '', tags: [], custom: {}, optedOut: false, identities: [] };
  if (input.externalId !== undefined) f.externalId = input.externalId;
  if (input.name !== undefined) f.name = input.name;
  if (input.email !== undefined) f.email = input.email;
  if (input.phone !== undefined) f.phone = input.phone;
  if (input.optedOut !== undefined) f.optedOut = input.optedOut;
  if (input.tags) f.tags = limitTags(dedupeTags([...f.tags, ...input.tags]), 'tags');
  if (input.custom) f.custom = limitCustom({ ...f.custom, ...input.custom });
  if (input.identities) f.identities = mergeIdentities(f.identities, input.identities);
  if (input.leadScore !== undefined) {
    f.leadScore = input.leadScore;
    f.leadScoreAt = now;
  }
  // The earliest known creation wins, so importing twice or in any order gives the same age.
  if (input.createdAt && (!base || input.createdAt < base.createdAt)) f.createdAt = input.createdAt;
  f.emailDomain = emailDomainOf(f.email);
  return f;
}

/** Trait values a migration brings for a contact being created (unset ones start at zero). */
export function initialTraitsOf(input: ContactInput): Partial<Traits> {
  const t: Partial<Traits> = {};
  for (const k of TRAIT_INPUTS) if (input[k] !== undefined) Object.assign(t, { [k]: input[k] });
  return t;
}

const TRAIT_INPUTS = [
  'lifetimeValue',
  'purchaseCount',
  'lastPurchaseAt',
  'lastConversationAt',
  'conversationCount',
  'openDeals',
  'supportTickets',
  'totalTickets',
] as const satisfies readonly (keyof Traits & keyof ContactInput)[];

/** Problems with input instants that lie after `now` (createdAt, lastPurchaseAt, …). */
export function futureProblems(input: ContactInput, now: Date): { path: string; problem: string }[] {
  return PAST_FIELDS.flatMap((k) => {
    const d = input[k];
    return d && d.getTime() > now.getTime() ? [{ path: k, problem: `${k} must not be in the future` }] : [];
  });
}

/** PATCH: replace the named fields; `null` removes externalId, email, phone or leadScore. */
export function applyPatch(c: Contact, p: ContactPatch, now: Date): ContactFields {
  const f = fieldsOfContact(c);
  if (p.externalId !== undefined) f.externalId = p.externalId ?? undefined;
  if (p.name !== undefined) f.name = p.name;
  if (p.email !== undefined) f.email = p.email ?? undefined;
  if (p.phone !== undefined) f.phone = p.phone ?? undefined;
  if (p.optedOut !== undefined) f.optedOut = p.optedOut;
  if (p.tags) f.tags = limitTags(dedupeTags(p.tags), 'tags');
  if (p.custom) f.custom = limitCustom({ ...f.custom, ...p.custom });
  if (p.leadScore !== undefined) {
    // An API write is the newest word on the score: later-arriving older events must not win.
    f.leadScore = p.leadScore ?? undefined;
    f.leadScoreAt = p.leadScore === null ? undefined : now;
  }
  f.emailDomain = emailDomainOf(f.email);
  return f;
}

function limitTags(tags: string[], path: string): string[] {
  if (tags.length > MAX_TAGS) throw validationError([{ path, problem: `at most ${MAX_TAGS} tags` }]);
  return tags;
}

function limitCustom(custom: Record<string, CustomValue>): Record<string, CustomValue> {
  if (Object.keys(custom).length > MAX_CUSTOM_KEYS) {
    throw validationError([{ path: 'custom', problem: `at most ${MAX_CUSTOM_KEYS} custom fields` }]);
  }
  return custom;
}

function mergeIdentities(current: ChannelIdentity[], add: ChannelIdentity[]): ChannelIdentity[] {
  const key = (i: ChannelIdentity) => JSON.stringify([i.channelId, i.userId]);
  const seen = new Set(current.map(key));
  const out = [...current];
  for (const i of add) {
    if (!seen.has(key(i))) out.push({ channelId: i.channelId, userId: i.userId });
    seen.add(key(i));
  }
  return out;
}
