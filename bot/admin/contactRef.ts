/**
 * A contact as an admin names it in chat, the way every other surface accepts it: an email, the
 * contact id, or the external id (the CRM's). One lookup for every command that names a contact
 * (`/contact`, `/list add|remove`, `/segment why`, `/flow instances`), so they never disagree.
 */
import type { Contact } from '../../src/domain/contacts/types';
import { NotFoundError } from '../../src/errors';

export interface ContactFinder {
  findById(ws: string, id: string): Promise<Contact | null>;
  findByEmail(ws: string, email: string): Promise<Contact | null>;
  findByExternalId(ws: string, externalId: string): Promise<Contact | null>;
}

/**
 * Text with an @ is an email first; anything else is an id first. Either way the external id is
 * tried next (external ids are free text, and some CRMs use addresses as ids). Not found: a
 * NotFoundError, which the bot answers as "Contact … was not found".
 */
export async function findContact(contacts: ContactFinder, ws: string, ref: string): Promise<Contact> {
  const first = ref.includes('@') ? contacts.findByEmail(ws, ref) : contacts.findById(ws, ref);
  const c = (await first) ?? (await contacts.findByExternalId(ws, ref));
  if (!c) throw new NotFoundError('contact', ref);
  return c;
}
