/**
 * The five built-in flows (DESIGN §3.6), each a machine of named steps. Waits are named delays
 * (`1d`, `until10:00`, ...), so a time scale shrinks them all at once for tests and demos.
 */
import { addTag, FACTS_HANDLER, flowSetup, initialContext, send, setCustom, startHandoff } from './setup';

/**
 * New This Week: three messages over three days. When the bot's own greeting welcomes new
 * contacts (BOT_WELCOME=greeting, the default) the first is left out: one welcome, not two.
 */
export const welcome = flowSetup.createMachine({
  id: 'welcome',
  context: initialContext,
  on: FACTS_HANDLER,
  initial: 'start',
  states: {
    start: { always: [{ guard: 'botGreets', target: 'greeted' }, { target: 'hello' }] },
    greeted: { after: { '1d': 'tips' } },
    hello: { entry: send('welcome-1'), after: { '1d': 'tips' } },
    tips: { entry: send('welcome-2'), after: { '1d': 'offer' } },
    offer: { entry: send('welcome-3'), type: 'final' },
  },
});

/** Inactive 30 Days: a nudge at 10:00 local, a reminder three days later, then a tag. Stops on exit. */
export const reengagement = flowSetup.createMachine({
  id: 'reengagement',
  context: initialContext,
  on: FACTS_HANDLER,
  initial: 'waitMorning',
  states: {
    waitMorning: { after: { 'until10:00': 'nudge' } },
    nudge: { entry: send('reengage-1'), after: { '3d': 'reminder' } },
    reminder: { entry: send('reengage-2'), after: { '7d': 'dormant' } },
    dormant: { entry: addTag('dormant'), type: 'final' },
  },
});

/** At Risk: reach out; two days later, if still at risk, follow up with an offer. */
export const retention = flowSetup.createMachine({
  id: 'retention',
  context: initialContext,
  on: FACTS_HANDLER,
  initial: 'outreach',
  states: {
    outreach: { entry: send('retention-1'), after: { '2d': 'check' } },
    check: {
      always: [
        { guard: { type: 'inSegment', params: { segment: 'At Risk' } }, target: 'followUp' },
        { target: 'recovered' },
      ],
    },
    followUp: {
      entry: [send('retention-2'), setCustom('retentionOffer', 'sent')],
      type: 'final',
    },
    recovered: { type: 'final' },
  },
});

/** VIP Customers: a welcome and the `vipOnboarded` flag the handoff queue reads. */
export const vipOnboarding = flowSetup.createMachine({
  id: 'vip-onboarding',
  context: initialContext,
  on: FACTS_HANDLER,
  initial: 'welcome',
  states: {
    welcome: { entry: [send('vip-1'), setCustom('vipOnboarded', true)], type: 'final' },
  },
});

/** High Intent: at 10:00 local, a contact with an open deal gets a person; others a nudge. */
export const salesFollowUp = flowSetup.createMachine({
  id: 'sales-follow-up',
  context: initialContext,
  on: FACTS_HANDLER,
  initial: 'waitMorning',
  states: {
    waitMorning: { after: { 'until10:00': 'decide' } },
    decide: {
      always: [
        { guard: { type: 'matchesRule', params: { rule: 'openDeals > 0' } }, target: 'handoff' },
        { target: 'nudge' },
      ],
    },
    handoff: { entry: [send('sales-1'), startHandoff('High Intent follow-up')], type: 'final' },
    nudge: { entry: send('sales-2'), type: 'final' },
  },
});
