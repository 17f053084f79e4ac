/**
 * A simulated clock for flow machines (unit tests only): steps a flow with XState's pure
 * `transition()` exactly as the runtime does, keeps its delayed events in a virtual timer queue,
 * and records the effects with the virtual time they happened at. Days pass in microseconds.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { isEffect, type FlowFacts } from '../../../flows';

export interface SimEffect {
  at: number;
  type: string;
  params: unknown;
}

export class FlowSimulator {
  readonly effects: SimEffect[] = [];
  private timers: { id: string; type: string; due: number }[] = [];
  private snap: AnyMachineSnapshot;
  now: number;

  constructor(
    private readonly machine: AnyStateMachine,
    start: number,
    private readonly facts: (now: number) => Omit<FlowFacts, 'now'>,
    timeScale = 1,
    botGreets = false,
  ) {
    this.now = start;
    const [s, actions] = initialTransition(machine, { timeScale, facts: this.factsAt(), botGreets });
    this.snap = s;
    this.apply(actions);
  }

  get state(): unknown {
    return this.snap.value as unknown;
  }

  get done(): boolean {
    return this.snap.status === 'done';
  }

  /** Moves the clock forward by `ms`, firing due timers in order (the snapshot is JSON-round-tripped each time, as stored). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      this.timers.shift();
      this.now = next.due;
      const restored = this.machine.resolveState(JSON.parse(JSON.stringify(this.snap)) as never);
      const [fresh] = transition(this.machine, restored, { type: 'flow.facts', facts: this.factsAt() });
      const [s, actions] = transition(this.machine, fresh, { type: next.type });
      this.snap = s;
      this.apply(actions);
    }
    this.now = end;
  }

  private factsAt(): FlowFacts {
    return { now: this.now, ...this.facts(this.now) };
  }

  private apply(actions: { type: string; params?: unknown }[]): void {
    for (const a of actions) {
      if (isEffect(a.type)) this.effects.push({ at: this.now, type: a.type, params: a.params });
      else if (a.type === 'xstate.raise') {
        const p = a.params as { event: { type: string }; id: string; delay?: number };
        if (p.delay !== undefined)
          this.timers.push({ id: p.id, type: p.event.type, due: this.now + p.delay });
      } else if (a.type === 'xstate.cancel') {
        const id = (a.params as { sendId: string }).sendId;
        this.timers = this.timers.filter((t) => t.id !== id);
      }
    }
  }
}
