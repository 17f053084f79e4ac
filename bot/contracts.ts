/**
 * The contract between the bot's parts (turn pipeline, personalisation, admin commands, handoff):
 * what a turn knows about its caller, how roles are asked for, and how to message someone
 * proactively. Implementations live beside this file; tests may fake them.
 */
import type { TurnContext } from 'botbuilder';
import type { Contact } from '../src/domain/contacts/types';
import type { Segment } from '../src/domain/segments/types';

export type Role = 'admin' | 'agent';

/** What the turn pipeline has resolved before any handler runs (stored in turn state). */
export interface TurnInfo {
  workspaceId: string;
  contact: Contact;
  /** The contact's segments, highest priority first (one indexed read per turn). */
  segments: Segment[];
  roles: Role[];
  channelId: string;
  userId: string;
  /** True when this turn created the contact (its first turn ever): the bot greets. */
  newContact?: boolean;
}

export interface RoleStore {
  rolesOf(workspaceId: string, channelId: string, userId: string): Promise<Role[]>;
  grant(workspaceId: string, channelId: string, userId: string, role: Role): Promise<void>;
  /** Users holding a role (e.g. every agent, to notify them of a new handoff). */
  holders(workspaceId: string, role: Role): Promise<{ channelId: string; userId: string }[]>;
}

export type {
  ProactiveOutcome,
  ProactiveResult,
  ProactiveSender,
  SendOptions,
} from '../src/domain/ports/proactive';

/**
 * A part of the bot that may take a turn: returns true when it handled it (the pipeline then
 * stops). Handoff runs first (relaying a live conversation), then admin commands, then the rest.
 */
export type TurnHandler = (context: TurnContext, info: TurnInfo) => Promise<boolean>;
