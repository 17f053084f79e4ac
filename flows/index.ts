/**
 * The flow catalogue and the built-in bindings (DESIGN §3.6). Pure: no I/O imports here
 * (eslint's `no-restricted-imports` enforces it for `flows/**`).
 */
import type { AnyStateMachine } from 'xstate';
import { reengagement, retention, salesFollowUp, vipOnboarding, welcome } from './builtIn';

export type { EffectName, EffectParams, FlowContext, FlowEvent, FlowFacts, FlowInput } from './types';
export { EFFECT_NAMES, isEffect } from './types';
export { msUntilLocalTime, zoneOrUtc } from './time';
export { DURATIONS, TIMES_OF_DAY } from './setup';

export interface FlowDefinition {
  id: string;
  name: string;
  description: string;
  machine: AnyStateMachine;
  /** Templates (`templates/flows/<name>.hbs`) its messages use. */
  templates: string[];
}

export const FLOWS: readonly FlowDefinition[] = [
  {
    id: 'welcome',
    name: 'Welcome sequence',
    description: 'Three messages over three days for a new contact',
    machine: welcome,
    templates: ['welcome-1', 'welcome-2', 'welcome-3'],
  },
  {
    id: 'reengagement',
    name: 'Re-engagement',
    description: 'A nudge at 10:00 local time, a reminder 3 days later, then the "dormant" tag',
    machine: reengagement,
    templates: ['reengage-1', 'reengage-2'],
  },
  {
    id: 'retention',
    name: 'Retention outreach',
    description: 'Outreach; two days later, if still at risk, an offer',
    machine: retention,
    templates: ['retention-1', 'retention-2'],
  },
  {
    id: 'vip-onboarding',
    name: 'VIP onboarding',
    description: 'A VIP welcome and the vipOnboarded flag (routes them first in the handoff queue)',
    machine: vipOnboarding,
    templates: ['vip-1'],
  },
  {
    id: 'sales-follow-up',
    name: 'Sales follow-up',
    description: 'At 10:00 local time: a person for contacts with an open deal, a nudge for others',
    machine: salesFollowUp,
    templates: ['sales-1', 'sales-2'],
  },
];

export const flowById = (id: string): FlowDefinition | undefined => FLOWS.find((f) => f.id === id);
/** The flow whose first message welcomes a new contact (see BOT_WELCOME). */
export const WELCOME_FLOW = 'welcome';
/** By id or by name, case-insensitively (admins type names). */
export const findFlow = (ref: string): FlowDefinition | undefined =>
  FLOWS.find((f) => f.id === ref.toLowerCase() || f.name.toLowerCase() === ref.toLowerCase());

export type ReentryPolicy = { kind: 'once' } | { kind: 'every' } | { kind: 'cooldown'; ms: number };

/** A binding as the catalogue proposes it; the runtime stores and manages real ones. */
export interface BindingSpec {
  flowId: string;
  segmentName: string;
  on: 'entered' | 'exited';
  /** The opposite transition of the same segment stops a running instance. */
  stopOnExit: boolean;
  reentry: ReentryPolicy;
  /** Start only if still in the segment this long after the transition (anti-flapping). */
  dwellMs: number;
}

const DAY = 86_400_000;
export const BUILT_IN_BINDINGS: readonly BindingSpec[] = [
  {
    flowId: 'welcome',
    segmentName: 'New This Week',
    on: 'entered',
    stopOnExit: false,
    reentry: { kind: 'once' },
    dwellMs: 0,
  },
  {
    flowId: 'reengagement',
    segmentName: 'Inactive 30 Days',
    on: 'entered',
    stopOnExit: true,
    reentry: { kind: 'cooldown', ms: 30 * DAY },
    dwellMs: 0,
  },
  {
    flowId: 'retention',
    segmentName: 'At Risk',
    on: 'entered',
    stopOnExit: false,
    reentry: { kind: 'cooldown', ms: 30 * DAY },
    dwellMs: 10 * 60_000,
  },
  {
    flowId: 'vip-onboarding',
    segmentName: 'VIP Customers',
    on: 'entered',
    stopOnExit: false,
    reentry: { kind: 'once' },
    dwellMs: 0,
  },
  {
    flowId: 'sales-follow-up',
    segmentName: 'High Intent',
    on: 'entered',
    stopOnExit: false,
    reentry: { kind: 'cooldown', ms: 14 * DAY },
    dwellMs: 10 * 60_000,
  },
];
