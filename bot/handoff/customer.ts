/**
 * The customer's side of the handoff: asking for a person, waiting in the queue, talking to an
 * agent through the bot, ending, and leaving a message after a timeout. Returns true when the
 * turn is the handoff's (the bot then stays silent), false to let the rest of the bot answer.
 */
import { EventFactory, type TurnContext } from 'botbuilder';
import type { Handoff } from '../../src/infra/repos/handoffs';
import type { TurnInfo } from '../contracts';
import { isBotWord } from '../conversation';
import { optOutIntent } from '../text';
import { asksForPerson, isCustomerEnd } from './intent';
import { mirrorState, tellAgents, type HandoffParts } from './parts';
import { orderQueue, snapshotSegments, withVipFlag } from './queue';
import {
  agentEndedText,
  fromCustomer,
  leftMessageText,
  movedBackText,
  newRequestText,
  optOutNoticeText,
  queuedText,
  stoppedWaitingText,
  texts,
} from './texts';

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
      const ended = await p.repo.end(ws, current._id, 'customer', p.clock());
      if (ended) {
        await p.timeouts.cancel(current.timeoutJobId);
        await mirrorState(p, ws, info.contact._id, null);
      }
      await context.sendActivity(texts.cancelled);
      // Agents who saw the request must not go looking for someone who has gone.
      if (ended) await tellAgents(p, ws, stoppedWaitingText(ended));
      return true;
    }
    if (!asksForPerson(text)) return noteWhileQueued(p, context, current, text);
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
      const left = await p.repo.leaveMessage(ws, current._id, text, p.clock());
      await context.sendActivity(texts.leftMessage);
      // Kept for /inbox; agents on duty hear of it at once.
      if (left) await tellAgents(p, ws, leftMessageText(current, text));
    }
    return true;
  }
  return false;
}

/**
 * While queued the bot keeps helping with what it knows (greetings, help, offers, stop and start,
 * commands); anything else is kept for the agent, who reads it on /accept, and the customer is
 * told so. Accepted meanwhile: the message is the live conversation's.
 */
async function noteWhileQueued(p: HandoffParts, context: TurnContext, h: Handoff, text: string) {
  if (!text || text.startsWith('/') || isBotWord(text) || optOutIntent(text) !== undefined) return false;
  if (!(await p.repo.noteWaiting(h.workspaceId, h._id, text, p.clock()))) {
    const now = await p.repo.current(h.workspaceId, h.contactId);
    return now?.status === 'active' ? talk(p, context, now, text) : false;
  }
  await context.sendActivity(texts.noted(await positionOf(p, h.workspaceId, h._id)));
  return true;
}

/**
 * A live conversation: relay to the agent, or end it. The bot itself never answers here, except
 * to "stop" and "start", which mean what they mean everywhere (the opt-out handler answers them;
 * the agent is told).
 */
async function talk(p: HandoffParts, context: TurnContext, h: Handoff, text: string): Promise<boolean> {
  const agent = h.agent;
  if (!agent) throw new Error(`handoff ${h._id} is active without an agent`);
  const optIntent = optOutIntent(text);
  if (optIntent !== undefined) {
    await p.sender.toUser(h.workspaceId, agent.channelId, agent.userId, optOutNoticeText(h, optIntent), {
      respectOptOut: false,
    });
    return false;
  }
  if (isCustomerEnd(text)) {
    const ended = await p.repo.end(h.workspaceId, h._id, 'customer', p.clock());
    await context.sendActivity(ended ? texts.customerEnded : texts.agentEnded);
    if (ended) {
      await mirrorState(p, h.workspaceId, h.contactId, null);
      await p.sender.toUser(h.workspaceId, agent.channelId, agent.userId, agentEndedText(h, 'customer'), {
        respectOptOut: false, // an agent's work notice, not marketing
      });
    }
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
  const queue = orderQueue(await p.repo.queued(ws));
  const index = queue.findIndex((h) => h._id === handoff._id);
  const position = index < 0 ? 1 : index + 1;
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
  await mirrorState(p, ws, info.contact._id, { status: 'waiting', since: now });
  await context.sendActivity(queuedText(snap.routing, position));
  // In the background: an unreachable agent (up to the send timeout each) must not hold up the
  // customer's turn. `HandoffModule.idle()` waits for it (tests, shutdown).
  p.background.run(() => notifyAgents(p, handoff, position));
  if (index >= 0) await tellMovedBack(p, queue.slice(index + 1), index + 2);
  return true;
}

/** Everyone now behind a request that went ahead of them hears their new place in the queue. */
async function tellMovedBack(p: HandoffParts, behind: readonly Handoff[], firstPosition: number) {
  await Promise.allSettled(
    behind.map((h, i) =>
      p.sender.toContact(h.workspaceId, h.contactId, movedBackText(firstPosition + i), {
        respectOptOut: false,
      }),
    ),
  );
}

async function positionOf(p: HandoffParts, ws: string, id: string): Promise<number> {
  const i = orderQueue(await p.repo.queued(ws)).findIndex((h) => h._id === id);
  return i < 0 ? 1 : i + 1;
}

/** Every agent hears of the request; one unreachable agent does not keep the others from it. */
async function notifyAgents(p: HandoffParts, h: Handoff, position: number): Promise<void> {
  const missed = await tellAgents(p, h.workspaceId, newRequestText(h, position));
  if (missed) p.log.warn({ handoffId: h._id, missed }, 'handoff: some agents not notified');
}
