/**
 * A FlowRuntime on a real test database with a real Agenda, for integration tests and the
 * benchmark. The effect ports record what would reach the contact (the e2e tests use the bot's
 * real sender); contacts live in a map the test edits. The flow clock can be moved ahead.
 */
import pino from 'pino';
import type { Db } from 'mongodb';
import type { Contact } from '../../src/domain/contacts/types';
import type { Transition } from '../../src/domain/membership/transitions';
import type { Segment } from '../../src/domain/segments/types';
import type { BindingSpec } from '../../flows';
import { FlowRuntime } from '../../src/infra/flows';
import type { EffectPorts } from '../../src/infra/flows/effects';
import { createScheduler, type Scheduler } from '../../src/infra/scheduler';
import { contactDoc } from './membershipFixture';

export const WS = 'ws1';

export interface Sent {
  contactId: string;
  text: string;
  at: number;
}

export class FlowHarness {
  readonly contacts = new Map<string, Contact>();
  readonly sent: Sent[] = [];
  readonly segments: Segment[] = [];
  offsetMs = 0;
  private seq = 0;
  /** Called before each send resolves (a test may hold or fail it). */
  beforeSend: (contactId: string, text: string) => Promise<void> = async () => undefined;
  scheduler!: Scheduler;
  runtime!: FlowRuntime;

  async start(
    db: Db,
    opts: {
      timeScale: number;
      lockMs?: number;
      processEveryMs?: number;
      recoverEveryMs?: number;
    },
  ) {
    const log = pino({ level: 'silent' });
    this.scheduler = createScheduler(db, {
      processEveryMs: opts.processEveryMs ?? 100,
      name: 'flows-test',
      log,
    });
    const ports: EffectPorts = {
      contactById: async (_ws, id) => this.contacts.get(id) ?? null,
      sendToContact: async (_ws, id, text) => {
        const c = this.contacts.get(id);
        if (!c) return 'no-reference';
        if (c.optedOut) return 'opted-out';
        await this.beforeSend(id, text);
        this.sent.push({ contactId: id, text, at: Date.now() });
        return 'sent';
      },
      changeTags: async (_ws, id, change) => {
        const c = this.contacts.get(id)!;
        c.tags = [...c.tags.filter((t) => !change.remove?.includes(t)), ...(change.add ?? [])];
      },
      setCustom: async (_ws, id, key, value) => {
        this.contacts.get(id)!.custom[key] = value;
      },
      startHandoff: async () => true,
      render: (name, c) => `${name} for ${c.name}`,
    };
    this.runtime = new FlowRuntime(db, {
      agenda: this.scheduler.agenda,
      segments: { list: async () => this.segments, generation: async () => this.segments.length },
      ports,
      clock: () => new Date(Date.now() + this.offsetMs),
      timeScale: opts.timeScale,
      lockMs: opts.lockMs ?? 1000,
      log,
      recoverEveryMs: opts.recoverEveryMs ?? 200,
    });
    await this.runtime.ensureIndexes();
    this.runtime.defineJobs();
    this.runtime.start();
    await this.scheduler.start();
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
    await this.scheduler.stop(2000);
  }

  /** Binds `flowId` to entering `seg`: every entry, no dwell, no stop, unless `spec` says otherwise. */
  bind(flowId: string, seg: Segment, spec: Partial<BindingSpec> = {}) {
    const binding: BindingSpec = {
      flowId,
      segmentName: seg.name,
      on: 'entered',
      stopOnExit: false,
      reentry: { kind: 'every' },
      dwellMs: 0,
      ...spec,
    };
    return this.runtime.bindings.create(WS, binding, seg._id);
  }

  addSegment(name: string): Segment {
    const at = new Date();
    const s: Segment = {
      _id: `seg-${name.toLowerCase().replace(/\W+/g, '-')}`,
      workspaceId: WS,
      name,
      nameKey: name.toLowerCase(),
      slug: name.toLowerCase(),
      type: 'dynamic',
      version: 1,
      priority: 0,
      routing: false,
      description: '',
      dependsOn: [],
      createdBy: 'test',
      createdAt: at,
      updatedAt: at,
    };
    this.segments.push(s);
    return s;
  }

  addContact(id: string, over: Partial<Contact> = {}): Contact {
    const c: Contact = contactDoc(new Date(), { _id: id, workspaceId: WS, name: id, ...over });
    this.contacts.set(id, c);
    return c;
  }

  /** Moves the contact in or out of the segment and delivers the transition, as the dispatcher would. */
  async move(contactId: string, segment: Segment, kind: 'entered' | 'exited'): Promise<Transition> {
    const t = this.transition(contactId, segment, kind);
    await this.runtime.starter.onTransition(t);
    return t;
  }

  /** Moves the contact in or out of the segment; returns the transition, not delivered yet. */
  transition(contactId: string, segment: Segment, kind: 'entered' | 'exited'): Transition {
    const c = this.contacts.get(contactId)!;
    c.segments = c.segments.filter((m) => m.segmentId !== segment._id);
    if (kind === 'entered') c.segments.push({ segmentId: segment._id, since: new Date() });
    const seq = ++this.seq;
    return {
      _id: `${contactId}:${seq}`,
      workspaceId: WS,
      contactId,
      segmentId: segment._id,
      kind,
      at: new Date(Date.now() + this.offsetMs),
      cause: 'contact',
      seq,
      position: seq,
    };
  }

  instancesOf(contactId: string) {
    return this.runtime.c.instances.find({ workspaceId: WS, contactId }).sort({ createdAt: 1 }).toArray();
  }
}
