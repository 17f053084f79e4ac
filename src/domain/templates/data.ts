/**
 * The one data shape every message template sees (bot replies, campaigns, workflows), so a
 * template that works in one place works in the others:
 *
 *   contact   name, firstName, email, emailDomain, phone, externalId, tags, custom.<field>,
 *             createdAt, optedOut, and the traits (lifetimeValue, purchaseCount, lastPurchaseAt,
 *             conversationCount, lastConversationAt, openDeals, supportTickets, leadScore, …).
 *             Text fields are always present ('' when unknown); custom fields and dates that may
 *             be unset belong inside {{#if}}.
 *   segment   the segment the message is about, or null (bot: the segment whose template was
 *             picked; campaign: its audience; workflow: the bound segment): {{segment.name}}.
 *   campaign  { name } in campaign templates only.
 *   offer     { segment, slug, text } in the bot's greeting and offer templates only.
 *
 * The contact's internal fields (ids, workspace, identities, memberships, versions) are not in it.
 */
import type { Contact } from '../contacts/types';

export interface TemplateContact extends Omit<
  Contact,
  | '_id'
  | 'workspaceId'
  | 'identities'
  | 'segments'
  | 'nextRecheckAt'
  | 'version'
  | 'updatedAt'
  | 'email'
  | 'emailDomain'
  | 'phone'
  | 'externalId'
> {
  firstName: string;
  email: string;
  emailDomain: string;
  phone: string;
  externalId: string;
}

export interface TemplateSegment {
  name: string;
  slug: string;
}

export interface TemplateData {
  contact: TemplateContact;
  segment: TemplateSegment | null;
  campaign?: { name: string };
  offer?: { segment: string | null; slug: string; text: string };
  /** The caller's segments, highest priority first (bot replies). */
  segments?: { name: string; slug: string; priority: number }[];
}

/** The contact as templates see it (see the file comment). */
export function templateContact(c: Contact): TemplateContact {
  const {
    _id: _i,
    workspaceId: _w,
    identities: _d,
    segments: _s,
    nextRecheckAt: _n,
    version: _v,
    updatedAt: _u,
    ...visible
  } = c;
  const name = c.name ?? '';
  return {
    ...visible,
    name,
    firstName: name.trim().split(/\s+/)[0] ?? '',
    email: c.email ?? '',
    emailDomain: c.emailDomain ?? '',
    phone: c.phone ?? '',
    externalId: c.externalId ?? '',
    tags: [...c.tags],
    custom: { ...c.custom },
  };
}
