/**
 * The field catalogue: which fields a rule may name, their types and the operators each type
 * allows (DESIGN §3.1, §3.2). Field names come only from here, so a user string never becomes a
 * query path.
 */
import { INTENTS, MAX_RANK, MAX_WINDOW_MS } from './conversationTerms';
import type { Operator } from './ast';

export type FieldType =
  'string' | 'number' | 'date' | 'boolean' | 'tags' | 'segment' | 'custom' | 'activity' | 'intent';

export interface FieldInfo {
  /** The name used in the AST and in the text form. */
  name: string;
  type: FieldType;
  /** Where the value lives in a stored contact (a dotted Mongo path). */
  path: string;
  description: string;
}

export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  string: [
    '=',
    '!=',
    'contains',
    'not contains',
    'starts with',
    'ends with',
    'in',
    'not in',
    'exists',
    'not exists',
  ],
  number: ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not in', 'exists', 'not exists'],
  date: ['before', 'after', 'on', 'within last', 'more than ago', 'exists', 'not exists'],
  boolean: ['is true', 'is false', 'exists', 'not exists'],
  tags: ['has', 'has any of', 'has all of', 'has none of'],
  segment: ['in segment'],
  // Windowed counts (`conversations in last 7 days >= 3`, `asked about "refund" at least 2 times
  // in last 14 days`): the operator compares the count with the value's `count`.
  activity: ['>=', '>', '<', '<=', '='],
  intent: ['>=', '>', '<', '<=', '='],
  // custom.<key> fields hold any of string/number/boolean/date: the operator and the literal's
  // type decide how a value is compared, and a value of another type never matches.
  custom: [
    '=',
    '!=',
    '>',
    '>=',
    '<',
    '<=',
    'between',
    'contains',
    'not contains',
    'starts with',
    'ends with',
    'in',
    'not in',
    'exists',
    'not exists',
    'before',
    'after',
    'on',
    'within last',
    'more than ago',
    'is true',
    'is false',
  ],
};

const f = (
  name: string,
  type: FieldType,
  description: string,
  extra: Partial<FieldInfo> = {},
): FieldInfo => ({
  name,
  type,
  path: name,
  description,
  ...extra,
});

/** The standard fields. The text form also accepts `tag` for `tags`; the AST always says `tags`. */
export const STANDARD_FIELDS: readonly FieldInfo[] = [
  f('name', 'string', 'display name'),
  // The contact model stores these two lower-cased, but rules compare them case-insensitively like
  // every text field, so data stored by anyone else answers the same in both targets (issue 23).
  f('email', 'string', 'email address'),
  f('emailDomain', 'string', 'domain of the email address'),
  f('phone', 'string', 'phone number'),
  f('externalId', 'string', 'id in the business’s own system'),
  f('createdAt', 'date', 'when the contact was created'),
  f('updatedAt', 'date', 'when the contact last changed'),
  f('optedOut', 'boolean', 'opted out of campaigns and workflow messages'),
  f('lifetimeValue', 'number', 'sum of purchases minus refunds'),
  f('purchaseCount', 'number', 'number of purchases'),
  f('lastPurchaseAt', 'date', 'time of the latest purchase'),
  f('lastConversationAt', 'date', 'time of the latest bot conversation (moves on every message)'),
  f('lastMessageAt', 'date', 'time of the latest bot message (text: `last message`)'),
  f('conversationCount', 'number', 'number of conversations'),
  f('leadScore', 'number', 'lead score, 0–100'),
  f('openDeals', 'number', 'deals opened and not yet closed'),
  f('supportTickets', 'number', 'open support tickets'),
  f('totalTickets', 'number', 'support tickets ever opened'),
  f('handoffStatus', 'string', 'open handoff: "waiting" for an agent or "connected" (text: `handoff open`)'),
  f('handoffWaitingSince', 'date', 'when the open handoff started waiting for an agent'),
  f('conversations', 'activity', 'conversations in a recent window', { path: 'recentConversations' }),
  f('intents', 'intent', 'messages mentioning an intent in a recent window (text: `asked about`)', {
    path: 'recentIntents',
  }),
  f('tags', 'tags', 'tags on the contact (case-insensitive)'),
  f('segment', 'segment', 'membership of another segment', { path: 'segments.segmentId' }),
];

/** `custom.` keys: letters, digits, `_` and `-`, 1..64 characters; never `__proto__` and friends. */
export const CUSTOM_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const byName = new Map(STANDARD_FIELDS.map((x) => [x.name, x]));

/** Looks a field up by its AST name; undefined when the catalogue has no such field. */
export function lookupField(name: string): FieldInfo | undefined {
  const std = byName.get(name);
  if (std) return std;
  if (name.startsWith('custom.')) {
    const key = name.slice('custom.'.length);
    if (CUSTOM_KEY.test(key) && !FORBIDDEN_KEYS.has(key)) {
      return { name, type: 'custom', path: name, description: `custom field "${key}"` };
    }
  }
  return undefined;
}

/** The catalogue as data: for the API, the bot's /help and the docs. */
export const fieldCatalogue = {
  fields: STANDARD_FIELDS,
  custom: { prefix: 'custom.', keyPattern: CUSTOM_KEY.source },
  operatorsByType: OPERATORS_BY_TYPE,
  /** What `asked about "…"` may name (the bot's keyword table). */
  intents: INTENTS,
  /** Windowed counts: `count` 0..maxCount, window at most maxWindowDays. */
  windows: { maxCount: MAX_RANK, maxWindowDays: MAX_WINDOW_MS / 86_400_000 },
} as const;
