/**
 * What the handoff says to customers and agents, in one place so the wording stays consistent
 * and tests can match it. Pure functions of what the message is about.
 */
import type { Handoff } from '../../src/infra/repos/handoffs';
import { describeRequest, formatWait } from './queue';

/** To the customer just queued; routing (VIP) callers are told they go ahead of the rest. */
export function queuedText(routing: boolean, position: number): string {
  if (routing && position === 1)
    return "You're first in line: a member of our team will be with you shortly. Type end to cancel.";
  if (routing)
    return `You're in our priority line (number ${position}): a member of our team will be with you shortly. Type end to cancel.`;
  return `I've asked a member of our team to join. You're number ${position} in the queue; type end to cancel.`;
}

export const texts = {
  alreadyQueued: (position: number) =>
    `You're already in the queue (number ${position}); a member of our team will be with you soon.`,
  cancelled: "OK, I've taken you out of the queue. I'm here if you need anything else.",
  connectedCustomer: "You're now talking with a member of our team. Type end when you're done.",
  customerEnded: "You've ended the conversation with our team. I'm the bot again: how can I help?",
  agentEnded: 'Our team member has ended the conversation. Thanks for your patience! I am the bot again.',
  undelivered: 'Sorry, I could not pass that on right now; please try again in a moment.',
  textOnly: 'Only text messages are passed on, sorry.',
  timeout:
    "Sorry, nobody from our team is free right now. If you'd like to leave a message, type it now and we'll get back to you.",
  leftMessage: "Thanks, I've passed your message on; someone from our team will get back to you.",
  noMessage: 'OK, no message left. Ask for a person again any time.',
  agentNotInConversation: "You're not in a conversation. Type /queue to see who is waiting.",
  noted: (position: number) =>
    `Noted: I'll pass that on when a member of our team joins (you're number ${position} in the queue).`,
} as const;

/** To every agent when someone asks for a person. */
export function newRequestText(h: Handoff, position: number): string {
  return `New request: ${describeRequest(h)}, number ${position} in the queue. Type /queue to see it, /accept to take the first in line.`;
}

/** To the agent who accepted, with what the customer wrote while waiting. */
export function acceptedText(h: Handoff, now: Date): string {
  const waited = formatWait(now.getTime() - h.requestedAt.getTime());
  const head = `You're now talking with ${describeRequest(h)}, who waited ${waited}. Everything you type is passed on; /end to finish.`;
  if (!h.waiting?.length) return head;
  return [head, `While waiting, ${h.contactName} wrote:`, ...h.waiting.map((w) => `- ${w.text}`)].join('\n');
}

/** To the agent when the customer says "stop" or "start" during the conversation. */
export function optOutNoticeText(h: Handoff, intent: 'out' | 'in'): string {
  return intent === 'out'
    ? `${h.contactName} has unsubscribed from our messages (campaigns and follow-ups); your conversation goes on.`
    : `${h.contactName} has subscribed to our messages again; your conversation goes on.`;
}

/** To the agent when the conversation ends, by either side. */
export function agentEndedText(h: Handoff, by: 'agent' | 'customer'): string {
  return by === 'customer'
    ? `${h.contactName} has ended the conversation.`
    : `You've ended the conversation with ${h.contactName}.`;
}

/** A customer's message as the agent sees it. */
export function fromCustomer(h: Handoff, text: string): string {
  return `${h.contactName}: ${text}`;
}

/** To every agent when a waiting customer gives up (types end) before anyone accepted. */
export function stoppedWaitingText(h: Handoff): string {
  return `${describeRequest(h)} stopped waiting and left the queue.`;
}

/** To every agent when a customer leaves a message after nobody was free. */
export function leftMessageText(h: Handoff, text: string): string {
  return `${describeRequest(h)} left a message: "${text}". Type /inbox to see all left messages.`;
}

/** To a waiting customer whom a priority (VIP) request has just gone ahead of. */
export function movedBackText(position: number): string {
  return `A priority customer has just been placed ahead of you; you're now number ${position} in the queue. Thanks for waiting.`;
}

/** The `/inbox` answer: the newest left messages with who left them and when. */
export function formatInbox(items: readonly Handoff[]): string {
  const lines = items.flatMap((h) =>
    h.leftMessage
      ? [`- ${describeRequest(h)}, ${h.leftMessage.at.toISOString()}: "${h.leftMessage.text}"`]
      : [],
  );
  if (!lines.length) return 'The inbox is empty: no customer has left a message.';
  return [`Left messages (newest first, ${lines.length}):`, ...lines].join('\n');
}
