/**
 * Messaging someone outside a turn (campaigns, workflows, agent notices): the domain's port. The
 * bot implements it over Bot Framework conversation references (bot/proactive.ts).
 */

export type ProactiveOutcome = 'sent' | 'no-reference' | 'opted-out' | 'failed';

/** An outcome with the channel's error when it is `failed` (the status stays a plain string). */
export interface ProactiveResult {
  status: ProactiveOutcome;
  error?: string;
}

export interface SendOptions {
  /**
   * Default true: someone who said "stop" is not messaged (`opted-out`). False exempts operational
   * messages the person needs for what they are doing: a handoff's messages to the customer who
   * asked for a person, and an agent's work notices (new request, relayed text, conversation end).
   */
  respectOptOut?: boolean;
}

/** Sends to a contact or user through their stored conversation reference. */
export interface ProactiveSender {
  /** To a contact; skips contacts who said stop unless exempted. */
  toContact(
    workspaceId: string,
    contactId: string,
    text: string,
    opts?: SendOptions,
  ): Promise<ProactiveOutcome>;
  /** To a channel user (an agent) by their stored reference; honours opt-out unless exempted. */
  toUser(
    workspaceId: string,
    channelId: string,
    userId: string,
    text: string,
    opts?: SendOptions,
  ): Promise<ProactiveOutcome>;
}
