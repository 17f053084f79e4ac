/**
 * Turn-level harness for the handoff: real database, botbuilder's TestAdapter (one conversation
 * per user), a TurnInfo built by hand, and fakes only for roles and the proactive sender (which
 * record what would have been delivered outside a turn).
 */
import { TestAdapter, type Activity } from 'botbuilder';
import type { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import pino from 'pino';
import { createHandoff, type HandoffModule } from '../../../bot/handoff';
import { HandoffRepo } from '../../../src/infra/repos/handoffs';
import { MemoryRoleStore } from '../../support/memoryRoles';
import type { ProactiveOutcome, ProactiveSender, Role, TurnInfo } from '../../../bot/contracts';
import { ZERO_TRAITS, type Contact } from '../../../src/domain/contacts/types';
import type { Segment } from '../../../src/domain/segments/types';

export const WS = 'ws-handoff';
export const CHANNEL = 'test';

export function segment(name: string, priority: number, routing: boolean): Segment {
  const now = new Date();
  return {
    _id: `seg-${name.toLowerCase().replace(/\W+/g, '-')}`,
    workspaceId: WS,
    name,
    nameKey: name.toLowerCase(),
    slug: name.toLowerCase().replace(/\W+/g, '-'),
    type: 'static',
    version: 1,
    priority,
    routing,
    description: '',
    dependsOn: [],
    createdBy: 'test',
    createdAt: now,
    updatedAt: now,
  };
}

/** Messages the fake sender "delivered", keyed by contact id or by `channelId:userId`. */
export class FakeSender implements ProactiveSender {
  readonly inbox = new Map<string, string[]>();
  private push(key: string, text: string): ProactiveOutcome {
    this.inbox.set(key, [...(this.inbox.get(key) ?? []), text]);
    return 'sent';
  }
  async toContact(_ws: string, contactId: string, text: string): Promise<ProactiveOutcome> {
    return this.push(contactId, text);
  }
  async toUser(_ws: string, channelId: string, userId: string, text: string): Promise<ProactiveOutcome> {
    return this.push(`${channelId}:${userId}`, text);
  }
  /** Takes (and clears) what `key` received. */
  take(key: string): string[] {
    const got = this.inbox.get(key) ?? [];
    this.inbox.delete(key);
    return got;
  }
}

/**
 * The in-memory RoleStore (test/support/memoryRoles.ts, held to MongoRoleStore's contract), with
 * `agents` holding the agent role in WS on CHANNEL.
 */
export class FakeRoles extends MemoryRoleStore {
  constructor(agents: string[] = []) {
    super();
    for (const userId of agents) this.add(WS, CHANNEL, userId, 'agent');
  }
}

export interface Said {
  handled: boolean;
  texts: string[];
  events: Partial<Activity>[];
}

/** A user in their own TestAdapter conversation; `say` runs one turn through the handoff handler. */
export class User {
  readonly info: TurnInfo;
  private readonly adapter: TestAdapter;
  constructor(
    private readonly handoff: () => HandoffModule,
    id: string,
    opts: { segments?: Segment[]; roles?: Role[] } = {},
  ) {
    const contact: Contact = {
      ...ZERO_TRAITS,
      _id: `contact-${id}`,
      workspaceId: WS,
      name: id.charAt(0).toUpperCase() + id.slice(1),
      createdAt: new Date(),
      updatedAt: new Date(),
      tags: [],
      custom: {},
      optedOut: false,
      identities: [{ channelId: CHANNEL, userId: id }],
      segments: (opts.segments ?? []).map((s) => ({ segmentId: s._id, since: new Date() })),
      nextRecheckAt: null,
      version: 1,
    };
    const segments = opts.segments ?? [];
    const roles = opts.roles ?? [];
    this.info = { workspaceId: WS, contact, segments, roles, channelId: CHANNEL, userId: id };
    this.adapter = new TestAdapter(TestAdapter.createConversation(`conv-${id}`, id));
  }

  async say(text: string): Promise<Said> {
    let handled = false;
    await this.adapter.processActivity({ type: 'message', text }, async (ctx) => {
      handled = await this.handoff().handler(ctx, this.info);
    });
    const out = this.adapter.activeQueue.splice(0);
    return {
      handled,
      texts: out.filter((a) => a.type === 'message').map((a) => a.text ?? ''),
      events: out.filter((a) => a.type === 'event'),
    };
  }
}

export function makeHandoff(
  db: Db,
  sender: FakeSender,
  roles: FakeRoles,
  opts: { agenda?: Agenda; timeoutMs?: number; clock?: () => Date; jobLockMs?: number } = {},
): HandoffModule {
  return createHandoff({
    repo: new HandoffRepo(db),
    roles,
    sender,
    timeoutMs: opts.timeoutMs ?? 60_000,
    log: pino({ level: 'silent' }),
    ...(opts.agenda ? { agenda: opts.agenda } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.jobLockMs ? { jobLockMs: opts.jobLockMs } : {}),
  });
}
