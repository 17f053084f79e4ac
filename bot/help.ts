/**
 * Help and refusals by role (issue 13 fix 5): `/help` answers each person with the commands they
 * may use, and a command of another role says whose it is, so an agent is never told that
 * `/queue` is "only for admins" and a customer never sees commands they cannot run.
 */
import type { Role } from './contracts';
import { HELP_TEXT } from './conversation';
import { ALL_USAGE } from './admin/parse';

/** The agent's commands (the handoff's own, plus the inbox of left messages). */
export const AGENT_HELP = [
  'Agent commands:',
  '/queue: who is waiting, first in line first',
  '/accept or /accept <n>: take the first in line (or number n)',
  '/end: end the conversation you are in',
  '/inbox: messages customers left when nobody was free',
].join('\n');

const AGENT_COMMANDS = new Set(['queue', 'accept', 'end', 'inbox']);

/** The command word of a slash command: "/Queue 2" → "queue". */
export function commandWord(text: string): string {
  return (/^\/(\S*)/.exec(text.trim())?.[1] ?? '').toLowerCase();
}

/** The role a command belongs to: agent commands, else admin. */
export function roleOfCommand(text: string): Role {
  return AGENT_COMMANDS.has(commandWord(text)) ? 'agent' : 'admin';
}

/** `/help` for someone with these roles: what they may do, admins and agents included. */
export function helpFor(roles: readonly Role[]): string {
  const parts: string[] = [];
  if (roles.includes('admin')) parts.push(ALL_USAGE);
  if (roles.includes('agent')) parts.push(AGENT_HELP);
  if (parts.length === 0) return HELP_TEXT;
  return parts.join('\n\n');
}
