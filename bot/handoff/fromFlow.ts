/**
 * A handoff a workflow starts (the sales follow-up): the same queued request a customer's "agent"
 * creates, for a contact who is not in a turn right now. The customer identity comes from the
 * contact's stored conversation reference; the timeout job and agent notices are the usual ones.
 */
import type { Contact } from '../../src/domain/contacts/types';
import type { Segment } from '../../src/domain/segments/types';
import type { HandoffParts } from './parts';
import { snapshotSegments, withVipFlag } from './queue';
import { newRequestText } from './texts';

export interface ContactRefs {
  forContact(ws: string, contactId: string): Promise<{ channelId?: string; user?: { id?: string } } | null>;
}

/** Queues a request for `contact`; false when it has no channel or already has an open request. */
export async function requestForContact(
  p: HandoffParts,
  refs: ContactRefs,
  contact: Contact,
  segments: readonly Segment[],
): Promise<boolean> {
  const ws = contact.workspaceId;
  const ref = await refs.forContact(ws, contact._id);
  if (!ref?.channelId || !ref.user?.id) return false;
  const now = p.clock();
  const handoffId = p.repo.newId();
  const timeoutJobId = await p.timeouts.schedule(new Date(now.getTime() + p.timeoutMs), {
    workspaceId: ws,
    handoffId,
  });
  const { created, handoff } = await p.repo.request({
    _id: handoffId,
    workspaceId: ws,
    contactId: contact._id,
    contactName: contact.name,
    customer: { channelId: ref.channelId, userId: ref.user.id },
    ...withVipFlag(snapshotSegments(segments), contact),
    requestedAt: now,
    ...(timeoutJobId === undefined ? {} : { timeoutJobId }),
  });
  if (!created) {
    await p.timeouts.cancel(timeoutJobId);
    return false;
  }
  const position = (await p.repo.queued(ws)).length;
  const agents = await p.roles.holders(ws, 'agent');
  await Promise.allSettled(
    agents.map((a) => p.sender.toUser(ws, a.channelId, a.userId, newRequestText(handoff, position))),
  );
  return true;
}
