/** Which contact each event of a batch is about: by id, externalId or email, in at most three reads. */
import type { ContactRepo } from '../contacts/repo';
import type { Contact } from '../contacts/types';
import type { EventEnvelope } from './types';

export async function contactResolver(
  repo: Pick<ContactRepo, 'findByIds' | 'findByKeys'>,
  workspaceId: string,
  envelopes: EventEnvelope[],
): Promise<(e: EventEnvelope) => string | undefined> {
  const ids = envelopes.flatMap((e) => (e.contactId !== undefined ? [e.contactId] : []));
  const externalIds = envelopes.flatMap((e) =>
    e.contactId === undefined && e.externalId !== undefined ? [e.externalId] : [],
  );
  const emails = envelopes.flatMap((e) =>
    e.contactId === undefined && e.externalId === undefined && e.email !== undefined ? [e.email] : [],
  );
  const [byId, byKeys] = await Promise.all([
    repo.findByIds(workspaceId, [...new Set(ids)]),
    externalIds.length + emails.length > 0
      ? repo.findByKeys(workspaceId, [...new Set(externalIds)], [...new Set(emails)])
      : ([] as Contact[]),
  ]);
  const id = new Set(byId.map((c) => c._id));
  const external = new Map(byKeys.flatMap((c) => (c.externalId ? [[c.externalId, c._id]] : [])));
  const email = new Map(byKeys.flatMap((c) => (c.email ? [[c.email.toLowerCase(), c._id]] : [])));
  return (e) =>
    e.contactId !== undefined
      ? id.has(e.contactId)
        ? e.contactId
        : undefined
      : e.externalId !== undefined
        ? external.get(e.externalId)
        : email.get((e.email ?? '').toLowerCase());
}
