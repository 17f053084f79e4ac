/**
 * What ActivityService relies on from an ActivityStore (src/domain/conversations/service.ts): a
 * bot message is counted once per message id, conversations (not messages) are counted, the
 * handoff state is written as rules read it, and another workspace's contact is `missing`.
 * The store writes onto contacts, so an implementation comes with the ContactRepo over the same
 * storage (to create contacts and read them back).
 */
import { evaluateBy, type ContactRepo } from '../../src/domain/contacts/repo';
import { ZERO_TRAITS, type Contact } from '../../src/domain/contacts/types';
import type { ActivityStore } from '../../src/domain/conversations/service';
import { CONVERSATION_GAP_MS } from '../../src/domain/conversations/activity';

const A = 'ws-a';
const B = 'ws-b';
const T0 = new Date('2024-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

export interface ActivityStorage {
  activity: ActivityStore;
  contacts: ContactRepo;
  /**
   * What the membership engine writes after evaluating a contact: its real next recheck (null:
   * none due). Lets a test start from a settled contact, so a write's own marker is visible.
   */
  settle(workspaceId: string, contactId: string, nextRecheckAt: Date | null): Promise<void>;
}

/**
 * Rules read conversation activity and handoff state, so each such write carries the
 * re-evaluation marker in the same update (EVALUATE_WITHIN_MS): a crash before the engine runs
 * still converges.
 */
function expectMarked(c: Contact, writtenAt: Date): void {
  expect(c.nextRecheckAt).toBeInstanceOf(Date);
  expect(c.nextRecheckAt!.getTime()).toBeLessThanOrEqual(evaluateBy(writtenAt).getTime());
}

function aContact(workspaceId: string, _id: string): Contact {
  return {
    ...ZERO_TRAITS,
    _id,
    workspaceId,
    name: 'Ann',
    createdAt: T0,
    updatedAt: T0,
    tags: [],
    custom: {},
    optedOut: false,
    identities: [{ channelId: 'teams', userId: _id }],
    segments: [],
    nextRecheckAt: null,
    version: 1,
  };
}

export function describeActivityStoreContract(
  name: string,
  make: () => Promise<ActivityStorage> | ActivityStorage,
): void {
  describe(`ActivityStore contract: ${name}`, () => {
    let s: ActivityStorage;
    let ann: Contact;
    beforeEach(async () => {
      s = await make();
      ann = aContact(A, 'c-ann');
      await s.contacts.insert(ann);
      await s.settle(A, ann._id, null);
    });
    const read = async () => (await s.contacts.findById(A, ann._id))!;
    const msg = (sec: number, conversationId = 'conv-1', intents: string[] = []) => ({
      at: at(sec),
      conversationId,
      intents,
    });

    test('a first message is recorded as a new conversation on the contact, which is marked', async () => {
      expect(await s.activity.recordMessage(A, ann._id, msg(10, 'conv-1', ['price']), 'm-1', at(11))).toEqual(
        {
          status: 'recorded',
          newConversation: true,
        },
      );
      const c = await read();
      expect(c).toMatchObject({
        lastMessageAt: at(10),
        lastConversationAt: at(10),
        conversationCount: 1,
        version: 2,
        updatedAt: at(11),
      });
      expectMarked(c, at(11));
    });

    test('the same message id again is `already` and changes nothing', async () => {
      await s.activity.recordMessage(A, ann._id, msg(10), 'm-1', at(11));
      const before = await read();
      expect(await s.activity.recordMessage(A, ann._id, msg(10), 'm-1', at(12))).toEqual({
        status: 'already',
      });
      expect(await read()).toEqual(before);
    });

    test('messages count conversations: same conversation soon after is not new; another id or a long gap is', async () => {
      await s.activity.recordMessage(A, ann._id, msg(0), 'm-1', at(0));
      expect(await s.activity.recordMessage(A, ann._id, msg(60), 'm-2', at(60))).toEqual({
        status: 'recorded',
        newConversation: false,
      });
      expect(await s.activity.recordMessage(A, ann._id, msg(120, 'conv-2'), undefined, at(120))).toEqual({
        status: 'recorded',
        newConversation: true,
      });
      const later = 120 + CONVERSATION_GAP_MS / 1000 + 1;
      expect(await s.activity.recordMessage(A, ann._id, msg(later, 'conv-2'), 'm-4', at(later))).toEqual({
        status: 'recorded',
        newConversation: true,
      });
      expect(await read()).toMatchObject({ conversationCount: 3, lastMessageAt: at(later), version: 5 });
    });

    test('a missing contact, or one of another workspace, is `missing` and untouched', async () => {
      expect(await s.activity.recordMessage(A, 'nope', msg(1), 'm-1', at(1))).toEqual({ status: 'missing' });
      expect(await s.activity.recordMessage(B, ann._id, msg(1), 'm-1', at(1))).toEqual({ status: 'missing' });
      expect(await s.activity.setHandoff(A, 'nope', null, at(1))).toBe(false);
      expect(await s.activity.setHandoff(B, ann._id, { status: 'connected' }, at(1))).toBe(false);
      const c = await read();
      expect(c.version).toBe(1);
      expect(c.nextRecheckAt).toBeNull();
      expect(c).not.toHaveProperty('lastMessageAt');
      expect(c).not.toHaveProperty('handoffStatus');
      // The refused message id was not used up.
      expect((await s.activity.recordMessage(A, ann._id, msg(2), 'm-1', at(2))).status).toBe('recorded');
    });

    test('handoff state: waiting (since when), connected (no wait any more), then none; each write marks', async () => {
      expect(await s.activity.setHandoff(A, ann._id, { status: 'waiting', since: at(5) }, at(6))).toBe(true);
      const waiting = await read();
      expect(waiting).toMatchObject({ handoffStatus: 'waiting', handoffWaitingSince: at(5), version: 2 });
      expectMarked(waiting, at(6));
      await s.settle(A, ann._id, null);
      expect(await s.activity.setHandoff(A, ann._id, { status: 'connected' }, at(7))).toBe(true);
      const connected = await read();
      expect(connected).toMatchObject({ handoffStatus: 'connected', updatedAt: at(7), version: 3 });
      expect(connected).not.toHaveProperty('handoffWaitingSince');
      expectMarked(connected, at(7));
      await s.settle(A, ann._id, null);
      expect(await s.activity.setHandoff(A, ann._id, null, at(8))).toBe(true);
      const ended = await read();
      expect(ended).not.toHaveProperty('handoffStatus');
      expect(ended).not.toHaveProperty('handoffWaitingSince');
      expectMarked(ended, at(8));
    });
  });
}
