/**
 * The customer's side of the handoff: asking for a person, waiting in the queue, talking to an
 * agent through the bot, ending, and leaving a message after a timeout. Returns true when the
 * turn is the handoff's (the bot then stays silent), false to let the rest of the bot answer.
 */
import { EventFactory, type TurnContext } from 'botbuilder';
import type { Handoff } from '../../src/infra/repos/handoffs';
import type { TurnInfo } from '../contracts';
import { asksForPerson, isCustomerEnd } from './intent';
import type { HandoffParts } from './parts';
import { orderQueue, snapshotSegments, withVipFlag } from './queue';
import { agentEndedText, fromCustomer, newRequestText, queuedText, texts } from './texts';

export async function handleCustomer(
  p: HandoffParts,
  context: TurnContext,
  info: TurnInfo,
  text: string,
): Promise<boolean> {
  const ws = info.workspaceId;
  const current = await p.repo.current(ws, info.contact._id);
  if (current?.status === 'active') return talk(p, context, current, text);
  if (current?.status === 'queued') {
    if (isCustomerEnd(text)) {
      if (await p.repo.end(ws, current._id, 'customer', p.clock()))
        await p.timeouts.cancel(current.timeoutJobId);
      await context.sendActivity(texts.cancelled);
      return true;
    }
    if (!asksForPerson(text)) return false; // the bot keeps helping while they wait
    await context.sendActivity(texts.alreadyQueued(await positionOf(p, ws, current._id)));
    return true;
  }
  if (asksForPerson(text)) {
    if (current) await p.repo.stopAwaiting(ws, info.contact._id);
    return request(p, context, info);
  }
  if (current?.awaitingMessage && text) {
    if (isCustomerEnd(text)) {
      await p.repo.stopAwaiting(ws, info.contact._id);
      await context.sendActivity(texts.noMessage);
    } else {
      await p.repo.leaveMessage(ws, current._id, text, p.clock());
      await context.sendActivity(texts.leftMessage);
    }
    return true;
  }
  return false;
}

/** A live conversation: relay to the agent, or end it. The bot itself never answers here. */
async function talk(p: HandoffParts, context: TurnContext, h: Handoff, text: string): Promise<boolean> {
  const agent = h.agent;
  if (!agent) throw new Error(`handoff ${h._id} is active without an agent`);
  if (isCustomerEnd(text)) {
    const ended = await p.repo.end(h.workspaceId, h._id, 'customer', p.clock());
    await context.sendActivity(ended ? texts.customerEnded : texts.agentEnded);
    if (ended)
      await p.sender.toUser(h.workspaceId, agent.channelId, agent.userId, agentEndedText(h, 'customer'), {
        respectOptOut: false, // an agent's work notice, not marketing
      });
    return true;
  }
  if (!text) {
    await context.sendActivity(texts.textOnly);
    return true;
  }
  const outcome = await p.sender.toUser(h.workspaceId, agent.channelId, agent.userId, fromCustomer(h, text), {
    respectOptOut: false,
  });
  if (outcome === 'sent') await p.repo.countMessage(h.workspaceId, h._id);
  else await context.sendActivity(texts.undelivered);
  return true;
}

/**
 * A new request: schedule its timeout, store it (one open request per contact), emit the handoff
 * initiation event with the contact's segments, tell the customer, notify every agent.
 */
async function request(p: HandoffParts, context: TurnContext, info: TurnInfo): Promise<boolean> {
  const ws = info.workspaceId;
  const now = p.clock();
  const handoffId = p.repo.newId();
  const snap = withVipFlag(snapshotSegments(info.segments), info.contact);
  const timeoutJobId = await p.timeouts.schedule(new Date(now.getTime() + p.timeoutMs), {
    workspaceId: ws,
    handoffId,
  });
  const { created, handoff } = await p.repo.request({
    _id: handoffId,
    workspaceId: ws,
    contactId: info.contact._id,
    contactName: info.contact.name,
    customer: { channelId: info.channelId, userId: info.userId },
    ...snap,
    requestedAt: now,
    ...(timeoutJobId === undefined ? {} : { timeoutJobId }),
  });
  const position = await positionOf(p, ws, handoff._id);
  if (!created) {
    await p.timeouts.cancel(timeoutJobId);
    await context.sendActivity(texts.alreadyQueued(position));
    return true;
  }
  await context.sendActivity(
    EventFactory.createHandoffInitiation(context, {
      workspaceId: ws,
      handoffId,
      contact: { id: info.contact._id, name: info.contact.name },
      segments: snap.segments,
      routing: snap.routing,
      priority: snap.priority,
      queuePosition: position,
      requestedAt: now.toISOString(),
    }),
  );
  await context.sendActivity(queuedText(snap.routing, position));
  // In the background: an unreachable agent (up to the send timeout each) must not hold up the
  // customer's turn. `HandoffModule.idle()` waits for it (tests, shutdown).
  p.background.run(() => notifyAgents(p, handoff, position));
  return true;
}

async function positionOf(p: HandoffParts, ws: string, id: string): Promise<number> {
  const i = orderQueue(await p.repo.queued(ws)).findIndex((h) => h._id === id);
  return i < 0 ? 1 : i + 1;
}

/** Every agent hears of the request; one unreachable agent does not keep the others from it. */
async function notifyAgents(p: HandoffParts, h: Handoff, position: number): Promise<void> {
  const agents = await p.roles.holders(h.workspaceId, 'agent');
  const results = await Promise.allSettled(
    agents.map((a) =>
      p.sender.toUser(h.workspaceId, a.channelId, a.userId, newRequestText(h, position), {
        respectOptOut: false, // an agent's work notice, not marketing
      }),
    ),
  );
  const missed = results.filter((r) => r.status === 'rejected' || r.value !== 'sent').length;
  if (missed)
    p.log.warn({ handoffId: h._id, missed, agents: agents.length }, 'handoff: some agents not notified');
  if (!agents.length) p.log.warn({ handoffId: h._id }, 'handoff: no agents to notify');
}
