/**
 * Carries out a flow's effects exactly once or visibly not: each effect has a step record keyed
 * by instance + revision + action index, inserted as `started` before the effect and completed
 * after it. Finding a `started` record means a process died in between: a message is then
 * recorded `unknown` (it may or may not have gone out) and never sent again; tag and field
 * changes are idempotent, so they are simply applied again.
 */
import type { EffectName, EffectParams } from '../../../flows';
import type { Contact } from '../../domain/contacts/types';
import { ALWAYS_OPEN, type SendGate } from '../../domain/ports/sendGate';
import type { Logger } from '../logger';
import { isDuplicateKey, refusedAsDuplicates } from '../repos/mongoErrors';
import type { FlowCollections, StepOutcome, StepRecord } from './store';
import type { RenderFlowTemplate } from './templates';

/** What effects need from the rest of the app (the bot, the contact service, the handoff). */
export interface EffectPorts {
  contactById(ws: string, contactId: string): Promise<Contact | null>;
  /** Many contacts in one read (a batch of first steps); absent ones are simply missing. */
  contactsByIds?(ws: string, contactIds: string[]): Promise<Contact[]>;
  sendToContact(
    ws: string,
    contactId: string,
    text: string,
  ): Promise<'sent' | 'opted-out' | 'no-reference' | 'failed'>;
  changeTags(ws: string, contactId: string, change: { add?: string[]; remove?: string[] }): Promise<void>;
  setCustom(ws: string, contactId: string, key: string, value: string | number | boolean): Promise<void>;
  /** Queues a human handoff for the contact; false when none could be queued (no channel, already open). */
  startHandoff(ws: string, contact: Contact, reason: string): Promise<boolean>;
  render: RenderFlowTemplate;
}

export interface EffectCall {
  key: string;
  workspaceId: string;
  instanceId: string;
  flowId: string;
  contact: Contact;
  action: EffectName;
  params: EffectParams[EffectName];
}

export interface EffectResult {
  outcome: StepOutcome;
  detail: string;
}

/** Effects that must never run twice: a repeat is visible to the contact. */
const NOT_REPEATABLE: ReadonlySet<EffectName> = new Set(['sendMessage', 'startHandoff']);

export class EffectRunner {
  constructor(
    private readonly c: FlowCollections,
    private readonly ports: EffectPorts,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly gate: SendGate = ALWAYS_OPEN,
  ) {}

  async run(call: EffectCall): Promise<EffectResult> {
    const { key } = call;
    try {
      await this.c.steps.insertOne(this.record(call));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const prior = await this.c.steps.findOne({ _id: key });
      if (prior && prior.status !== 'started')
        return { outcome: prior.status, detail: `${prior.detail ?? ''} (recorded before)`.trim() };
      if (NOT_REPEATABLE.has(call.action)) {
        const detail = 'interrupted between the effect and its record: it may or may not have happened';
        await this.finish(key, 'unknown', detail);
        this.log.warn({ key, action: call.action }, 'flows: step outcome unknown after a crash');
        return { outcome: 'unknown', detail };
      }
    }
    const result = await this.perform(call);
    await this.finish(key, result.outcome, result.detail);
    return result;
  }

  /**
   * Records many effects as `started` in one write, for a batch of steps that then `perform`s
   * them and `finishMany`s the records. Returns the keys recorded now; any other was recorded
   * before (a crash, a redelivery) and must go through `run`, which knows what to do with it.
   */
  async begin(calls: EffectCall[]): Promise<Set<string>> {
    if (calls.length === 0) return new Set();
    let refused = new Set<number>();
    try {
      await this.c.steps.insertMany(
        calls.map((call) => this.record(call)),
        { ordered: false },
      );
    } catch (err) {
      refused = refusedAsDuplicates(err);
    }
    return new Set(calls.flatMap((call, i) => (refused.has(i) ? [] : [call.key])));
  }

  /** Completes the records of effects begun with `begin`, in one write. */
  async finishMany(done: { key: string; result: EffectResult }[]): Promise<void> {
    if (done.length === 0) return;
    const finishedAt = this.clock();
    await this.c.steps.bulkWrite(
      done.map(({ key, result }) => ({
        updateOne: {
          filter: { _id: key },
          update: { $set: { status: result.outcome, detail: result.detail, finishedAt } },
        },
      })),
      { ordered: false },
    );
  }

  /** Carries the effect out (no record): a failure is an outcome, not an exception. */
  perform(call: EffectCall): Promise<EffectResult> {
    return this.effect(call).catch((err: unknown): EffectResult => {
      this.log.warn({ err, key: call.key }, 'flows: effect failed');
      return { outcome: 'failed', detail: err instanceof Error ? err.message : String(err) };
    });
  }

  private record(call: EffectCall): StepRecord {
    return {
      _id: call.key,
      workspaceId: call.workspaceId,
      instanceId: call.instanceId,
      contactId: call.contact._id,
      flowId: call.flowId,
      action: call.action,
      params: JSON.stringify(call.params),
      status: 'started',
      startedAt: this.clock(),
      finishedAt: null,
    };
  }

  private isNew(contact: Contact): boolean {
    return Date.now() - new Date(contact.createdAt).getTime() < 60_000;
  }

  private async finish(key: string, status: StepOutcome, detail: string): Promise<void> {
    await this.c.steps.updateOne({ _id: key }, { $set: { status, detail, finishedAt: this.clock() } });
  }

  private async effect(call: EffectCall): Promise<EffectResult> {
    const ws = call.workspaceId;
    const contact = call.contact;
    const p = call.params as Partial<EffectParams[keyof EffectParams]> & Record<string, unknown>;
    switch (call.action) {
      case 'sendMessage': {
        const template = String(p.template);
        if (contact.optedOut) return { outcome: 'skipped', detail: `${template}: opted out` };
        const text = this.ports.render(template, contact);
        let out = await this.ports.sendToContact(ws, contact._id, text);
        // A contact created by its first chat turn enters segments (and starts flows) a moment
        // before that turn stores its conversation reference: give the reference a moment.
        // Not once a graceful stop has begun: no send starts after it (the outcome is the truth).
        for (let i = 0; out === 'no-reference' && i < 4 && this.isNew(contact) && this.gate.open; i++) {
          await new Promise((r) => setTimeout(r, 250));
          out = await this.ports.sendToContact(ws, contact._id, text);
        }
        if (out === 'sent') return { outcome: 'sent', detail: template };
        if (out === 'failed') return { outcome: 'failed', detail: `${template}: delivery failed` };
        return { outcome: 'skipped', detail: `${template}: ${out}` };
      }
      case 'addTag':
        await this.ports.changeTags(ws, contact._id, { add: [String(p.tag)] });
        return { outcome: 'done', detail: `tag +${String(p.tag)}` };
      case 'removeTag':
        await this.ports.changeTags(ws, contact._id, { remove: [String(p.tag)] });
        return { outcome: 'done', detail: `tag -${String(p.tag)}` };
      case 'setCustom':
        await this.ports.setCustom(ws, contact._id, String(p.key), p.value as string | number | boolean);
        return { outcome: 'done', detail: `custom.${String(p.key)} = ${JSON.stringify(p.value)}` };
      case 'startHandoff': {
        const queued = await this.ports.startHandoff(ws, contact, String(p.reason));
        return queued
          ? { outcome: 'done', detail: 'handoff queued' }
          : { outcome: 'skipped', detail: 'handoff not queued (open already or no channel)' };
      }
    }
  }
}
