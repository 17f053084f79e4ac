/**
 * The one `setup()` every flow is built from: named effects (carried out by the runtime, so their
 * implementations here do nothing), named guards over the facts, and named delays (scaled by the
 * flow's time scale). Flows reference these by name only.
 */
import { assign, setup } from 'xstate';
import { compilePredicate, parseRule, type Predicate } from '../src/rules';
import { msUntilLocalTime } from './time';
import type { EffectParams, FlowContext, FlowEvent, FlowInput } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Named waits: the delay names flows may use in `after`. */
export const DURATIONS = {
  '10m': 10 * MINUTE,
  '1h': HOUR,
  '1d': DAY,
  '2d': 2 * DAY,
  '3d': 3 * DAY,
  '7d': 7 * DAY,
} as const;

/** Named wait-until-local-time delays (in the contact's time zone). */
export const TIMES_OF_DAY = { 'until09:00': [9, 0], 'until10:00': [10, 0], 'until18:00': [18, 0] } as const;

type Delay = (a: { context: FlowContext }) => number;
const scaled =
  (ms: number): Delay =>
  ({ context }) =>
    Math.max(1, Math.round(ms * context.timeScale));
const untilLocal =
  ([h, m]: readonly [number, number]): Delay =>
  ({ context }) =>
    Math.max(
      1,
      Math.round(msUntilLocalTime(context.facts.now, context.facts.timezone, h, m) * context.timeScale),
    );

const delays = {
  ...(Object.fromEntries(Object.entries(DURATIONS).map(([k, ms]) => [k, scaled(ms)])) as Record<
    keyof typeof DURATIONS,
    Delay
  >),
  ...(Object.fromEntries(Object.entries(TIMES_OF_DAY).map(([k, hm]) => [k, untilLocal(hm)])) as Record<
    keyof typeof TIMES_OF_DAY,
    Delay
  >),
};

// Rules in guards are constants of the flow definitions: compile each once.
const predicates = new Map<string, Predicate>();
function predicateOf(rule: string): Predicate {
  let p = predicates.get(rule);
  if (!p) {
    p = compilePredicate(parseRule(rule));
    predicates.set(rule, p);
  }
  return p;
}

const effect =
  <K extends keyof EffectParams>() =>
  (_: unknown, _params: EffectParams[K]) =>
    undefined;

export const flowSetup = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as FlowInput,
  },
  actions: {
    sendMessage: effect<'sendMessage'>(),
    addTag: effect<'addTag'>(),
    removeTag: effect<'removeTag'>(),
    setCustom: effect<'setCustom'>(),
    startHandoff: effect<'startHandoff'>(),
    rememberFacts: assign({ facts: ({ event }) => event.facts }),
  },
  guards: {
    /** The bot's greeting was the contact's welcome (BOT_WELCOME=greeting). */
    botGreets: ({ context }) => context.botGreets === true,
    /** The contact is (now) in the named segment. */
    inSegment: ({ context }, params: { segment: string }) =>
      context.facts.segments.some((s) => s.toLowerCase() === params.segment.toLowerCase()),
    /** The contact (now) matches a rule in the rule language. */
    matchesRule: ({ context }, params: { rule: string }) =>
      context.facts.contact !== undefined &&
      predicateOf(params.rule)(context.facts.contact, new Date(context.facts.now)),
  },
  delays,
});

/** The initial context from the runtime's input. */
export const initialContext = ({ input }: { input: FlowInput }): FlowContext => ({
  timeScale: input.timeScale,
  facts: input.facts,
  ...(input.botGreets ? { botGreets: true } : {}),
});

/** Every flow accepts fresh facts in any state (the runtime sends them before each event). */
export const FACTS_HANDLER = { 'flow.facts': { actions: 'rememberFacts' as const } };

/** Shorthands for the effect actions, so flow definitions read like the business steps. */
export const send = (template: string) => ({ type: 'sendMessage' as const, params: { template } });
export const addTag = (tag: string) => ({ type: 'addTag' as const, params: { tag } });
export const setCustom = (key: string, value: string | number | boolean) => ({
  type: 'setCustom' as const,
  params: { key, value },
});
export const startHandoff = (reason: string) => ({ type: 'startHandoff' as const, params: { reason } });
