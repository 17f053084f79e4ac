/**
 * The agent's side of the handoff: `/queue`, `/accept [n]`, `/end`, and relaying what the agent
 * types to the customer they are talking with. Accepting is one conditional update (queued →
 * active), so of two agents racing for the same request exactly one gets it.
 */
import type { TurnContext } from 'botbuilder';
import type { Handoff, UserRef } from '../../src/infra/repos/handoffs';
import type { TurnInfo } from '../contracts';
import { parseAgentCommand } from './intent';
import { mirrorState, type HandoffParts } from './parts';

/** How many left messages `/inbox` shows. */
const INBOX_SIZE = 10;
import { describeRequest, formatQueue, orderQueue } from './queue';
import { acceptedText, agentEndedText, formatInbox, texts } from './texts';

export async function handleAgent(
  p: HandoffParts,
  context: TurnContext,
  info: TurnInfo,
  text: string,
): Promise<boolean> {
  const me: UserRef = { channelId: info.channelId, userId: info.userId };
  const ws = info.workspaceId;
  const cmd = parseAgentCommand(text);
  if (cmd?.kind === 'usage') await context.sendActivity(cmd.message);
  else if (cmd?.kind === 'queue')
    await context.sendActivity(formatQueue(orderQueue(await p.repo.queued(ws)), p.clock()));
  else if (cmd?.kind === 'inbox') await context.sendActivity(formatInbox(await p.repo.inbox(ws, INBOX_SIZE)));
  else if (cmd?.kind === 'accept') await accept(p, context, ws, me, cmd.position);
  else if (cmd?.kind === 'end') await end(p, context, ws, me);
  else {
    const active = await p.repo.activeForAgent(ws, me);
    if (!active) return false; // an agent off duty talks to the bot like anyone else
    await relay(p, context, active, text);
  }
  return true;
}

async function accept(
  p: HandoffParts,
  context: TurnContext,
  ws: string,
  me: UserRef,
  position: number,
): Promise<void> {
  const busy = await p.repo.activeForAgent(ws, me);
  if (busy) {
    await context.sendActivity(
      `You're still talking with ${busy.contactName}: /end that conversation first.`,
    );
    return;
  }
  const ordered = orderQueue(await p.repo.queued(ws));
  const target = ordered[position - 1];
  if (!target) {
    await context.sendActivity(
      ordered.length ? `There is no number ${position}: ${ordered.length} waiting.` : 'The queue is empty.',
    );
    return;
  }
  const now = p.clock();
  const accepted = await p.repo.accept(ws, target._id, me, now);
  if (!accepted) {
    await context.sendActivity(
      `Someone else has just taken ${describeRequest(target)}. Type /queue to see who is waiting.`,
    );
    return;
  }
  await p.timeouts.cancel(accepted.timeoutJobId);
  await mirrorState(p, ws, accepted.contactId, { status: 'connected' });
  await context.sendActivity(acceptedText(accepted, now));
  const outcome = await p.sender.toContact(ws, accepted.contactId, texts.connectedCustomer, {
    respectOptOut: false,
  });
  if (outcome !== 'sent') await context.sendActivity(`(The customer could not be told: ${outcome}.)`);
}

async function end(p: HandoffParts, context: TurnContext, ws: string, me: UserRef): Promise<void> {
  const active = await p.repo.activeForAgent(ws, me);
  const ended = active && (await p.repo.end(ws, active._id, 'agent', p.clock()));
  if (!ended) {
    await context.sendActivity(texts.agentNotInConversation);
    return;
  }
  await mirrorState(p, ws, ended.contactId, null);
  await context.sendActivity(agentEndedText(ended, 'agent'));
  await p.sender.toContact(ws, ended.contactId, texts.agentEnded, { respectOptOut: false });
}

/** Opt-out is not applied: a customer who asked for a person is answered even if they said stop. */
async function relay(p: HandoffParts, context: TurnContext, h: Handoff, text: string): Promise<void> {
  if (!text) {
    await context.sendActivity(texts.textOnly);
    return;
  }
  const outcome = await p.sender.toContact(h.workspaceId, h.contactId, text, { respectOptOut: false });
  if (outcome === 'sent') await p.repo.countMessage(h.workspaceId, h._id);
  else await context.sendActivity(`Not delivered to ${h.contactName} (${outcome}).`);
}
