/**
 * What a flow machine knows and receives. Flows are pure: the runtime hands them facts about the
 * contact (refreshed before every event) and carries out the named actions they return.
 */
import type { RuleContact } from '../src/rules';

/** The contact as a flow sees it at the moment of a step. */
export interface FlowFacts {
  /** Epoch milliseconds of the step (the runtime's clock: tests move it). */
  now: number;
  /** IANA time zone of the contact (`custom.timezone`), else "UTC". */
  timezone: string;
  /** Names of the contact's segments. */
  segments: string[];
  /** Fields for rule guards; left out of the persisted snapshot. */
  contact?: RuleContact;
}

export interface FlowInput {
  /** Multiplies every wait (1 in production; tests and demos shrink days to milliseconds). */
  timeScale: number;
  facts: FlowFacts;
  /** The bot's own greeting welcomes new contacts (BOT_WELCOME=greeting): a flow's welcome is left out. */
  botGreets?: boolean;
}

export interface FlowContext {
  timeScale: number;
  facts: FlowFacts;
  botGreets?: boolean;
}

/** The only event the runtime sends by name; timers are XState's own delayed events. */
export type FlowEvent = { type: 'flow.facts'; facts: FlowFacts };

/** Effects a flow may ask for, by action name → params. */
export interface EffectParams {
  sendMessage: { template: string };
  addTag: { tag: string };
  removeTag: { tag: string };
  setCustom: { key: string; value: string | number | boolean };
  startHandoff: { reason: string };
}

export type EffectName = keyof EffectParams;

export const EFFECT_NAMES: readonly EffectName[] = [
  'sendMessage',
  'addTag',
  'removeTag',
  'setCustom',
  'startHandoff',
];

export const isEffect = (type: string): type is EffectName => (EFFECT_NAMES as string[]).includes(type);
