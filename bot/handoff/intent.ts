/**
 * What a message means to the handoff, decided from its text alone (pure): does a customer ask
 * for a person, does a customer end a live conversation, which agent command is it.
 */

// Whole words only, so "agenda", "humane" or "reagent" never page a person. \p{L}\p{N} rather
// than \b because \b treats accented letters as word boundaries.
const PERSON =
  /(?<![\p{L}\p{N}_])(?:agents?|humans?|talk\s+to\s+some(?:one|body)|real\s+person)(?![\p{L}\p{N}_])/iu;
const AGENT_COMMAND = /^\s*\/agent\s*$/i;
// Whole message only: "see you at the end of the week" must not hang up on the agent.
const CUSTOMER_END = /^\s*\/?(?:end|bye|goodbye)\s*[.!]*\s*$/i;

/** True when a customer's message asks to be handed to a human agent. */
export function asksForPerson(text: string): boolean {
  return AGENT_COMMAND.test(text) || PERSON.test(text);
}

/** True when a customer's whole message ends the conversation (`end`, `bye`, `/end`). */
export function isCustomerEnd(text: string): boolean {
  return CUSTOMER_END.test(text);
}

export type AgentCommand =
  | { kind: 'queue' }
  | { kind: 'accept'; position: number }
  | { kind: 'end' }
  | { kind: 'inbox' }
  | { kind: 'usage'; message: string };

const COMMAND = /^\s*\/(queue|accept|end|inbox)(?:\s+(\S.*?))?\s*$/i;

/**
 * An agent's command, or undefined when the message is not one (it is then relayed, or left to
 * the rest of the bot). `/accept` takes the first in line; `/accept <n>` the n-th.
 */
export function parseAgentCommand(text: string): AgentCommand | undefined {
  const m = COMMAND.exec(text);
  if (!m) return undefined;
  const name = (m[1] ?? '').toLowerCase();
  const arg = m[2];
  if (name === 'accept') {
    if (arg === undefined) return { kind: 'accept', position: 1 };
    if (/^\d{1,4}$/.test(arg) && Number(arg) >= 1) return { kind: 'accept', position: Number(arg) };
    return { kind: 'usage', message: 'Usage: /accept, or /accept <n> with n the position shown by /queue.' };
  }
  if (arg !== undefined) return { kind: 'usage', message: `Usage: /${name} (it takes no arguments).` };
  return name === 'queue' ? { kind: 'queue' } : name === 'inbox' ? { kind: 'inbox' } : { kind: 'end' };
}
