/** ContactService on the real database: upsert, conflicts, tags, custom fields, injection attempts. */
import { ContactService } from '../../../src/domain/contacts/service';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { MongoContactRepo } from '../../../src/infra/repos/contacts';
import { openTestDb, type TestDb } from '../../support/db';
import { RecordingListener } from '../../support/recordingListener';

let t: TestDb;
let repo: MongoContactRepo;
let listener: RecordingListener;
let svc: ContactService;
const WS = 'ws1';

beforeAll(async () => {
  t = await openTestDb('contacts');
  await MongoContactRepo.ensureIndexes(t.db);
  repo = new MongoContactRepo(t.db);
});
beforeEach(() => {
  listener = new RecordingListener();
  svc = new ContactService({ repo, listener });
});
afterAll(() => t.close());

test('a new contact starts with zero traits, no segments, version 1; email lower-case with domain', async () => {
  const { contact, created } = await svc.upsert(WS, { name: 'Ann', email: 'Ann@Example.com', tags: ['VIP'] });
  expect(created).toBe(true);
  expect(contact).toMatchObject({
    workspaceId: WS,
    name: 'Ann',
    email: 'ann@example.com',
    emailDomain: 'example.com',
    tags: ['VIP'],
    custom: {},
    optedOut: false,
    identities: [],
    segments: [],
    version: 1,
    lifetimeValue: 0,
    purchaseCount: 0,
    openDeals: 0,
  });
  // The write's evaluation marker (issue 15): a recheck within 5 s unless the engine (not in
  // this test: a recording listener) replaces it with the real instant.
  expect(contact.nextRecheckAt!.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
  expect(contact._id).toMatch(/^[0-9a-f]{24}$/);
  expect(listener.calls).toEqual([{ workspaceId: WS, contactId: contact._id, cause: 'contact' }]);
  // Bookkeeping fields never leave the repository.
  expect(await repo.findById(WS, contact._id)).not.toHaveProperty('emailKey');
});

test('upsert by externalId updates the same contact, merging tags and custom fields', async () => {
  const a = await svc.upsert(WS, { externalId: 'crm-1', name: 'Bob', tags: ['a'], custom: { plan: 'pro' } });
  const b = await svc.upsert(WS, { externalId: 'crm-1', tags: ['A', 'b'], custom: { seats: 5 } });
  expect(b.created).toBe(false);
  expect(b.contact._id).toBe(a.contact._id);
  expect(b.contact).toMatchObject({
    name: 'Bob',
    tags: ['a', 'b'],
    custom: { plan: 'pro', seats: 5 },
    version: 2,
  });
});

test('upsert by email (any case) finds the contact and can attach an externalId', async () => {
  const a = await svc.upsert(WS, { email: 'carol@corp.io', name: 'Carol' });
  const b = await svc.upsert(WS, { email: 'CAROL@corp.io', externalId: 'crm-carol' });
  expect(b).toMatchObject({ created: false, contact: { _id: a.contact._id, externalId: 'crm-carol' } });
  const c = await svc.upsert(WS, { externalId: 'crm-carol', name: 'Carol B' });
  expect(c.contact).toMatchObject({ _id: a.contact._id, name: 'Carol B', email: 'carol@corp.io' });
});

test('the same externalId/email in another workspace is another contact', async () => {
  const a = await svc.upsert(WS, { externalId: 'shared', email: 'same@x.io' });
  const b = await svc.upsert('ws2', { externalId: 'shared', email: 'same@x.io' });
  expect(b.created).toBe(true);
  expect(b.contact._id).not.toBe(a.contact._id);
  await expect(svc.get('ws2', a.contact._id)).rejects.toBeInstanceOf(NotFoundError);
});

test('taken email or identity → ConflictError naming the field; contacts without them never collide', async () => {
  await svc.upsert(WS, {
    externalId: 'owner',
    email: 'taken@x.io',
    identities: [
      { channelId: 'web', userId: 'u1' },
      { channelId: 'sms', userId: 'u2' },
    ],
  });
  const other = await svc.upsert(WS, { name: 'no email' });
  await svc.upsert(WS, { name: 'no email either' });
  await expect(svc.patch(WS, other.contact._id, { email: 'taken@x.io' })).rejects.toMatchObject({
    code: 'CONFLICT',
    details: { field: 'email' },
  });
  // The email belongs to a contact with another externalId: another person, so a conflict.
  await expect(svc.upsert(WS, { externalId: 'new-one', email: 'taken@x.io' })).rejects.toBeInstanceOf(
    ConflictError,
  );
  await expect(svc.upsert(WS, { identities: [{ channelId: 'sms', userId: 'u2' }] })).rejects.toMatchObject({
    details: { field: 'identity' },
  });
  // A pair is unique as a pair: web/u2 is not web/u1 nor sms/u2.
  expect((await svc.upsert(WS, { identities: [{ channelId: 'web', userId: 'u2' }] })).created).toBe(true);
  expect(await repo.findByIdentity(WS, { channelId: 'sms', userId: 'u2' })).toMatchObject({
    email: 'taken@x.io',
  });
});

test('patch: null clears email (and its domain), leadScore via API records leadScoreAt', async () => {
  const { contact } = await svc.upsert(WS, { email: 'gone@x.io' });
  const p = await svc.patch(WS, contact._id, { email: null, leadScore: 42, optedOut: true });
  expect(p.email).toBeUndefined();
  expect(p.emailDomain).toBeUndefined();
  expect(p).toMatchObject({ leadScore: 42, optedOut: true, version: 2 });
  expect(p.leadScoreAt).toBeInstanceOf(Date);
  // The email is free again.
  expect((await svc.upsert(WS, { email: 'gone@x.io' })).created).toBe(true);
});

test('tags add/remove case-insensitively; at most 100', async () => {
  const { contact } = await svc.upsert(WS, { tags: ['VIP', 'old'] });
  const c = await svc.changeTags(WS, contact._id, { add: ['vip', ' New '], remove: ['OLD'] });
  expect(c.tags).toEqual(['VIP', 'New']);
  const many = Array.from({ length: 99 }, (_, i) => `t${i}`);
  await expect(svc.changeTags(WS, contact._id, { add: many })).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
    details: { path: 'add' },
  });
});

test('custom fields: set typed values, delete; injection attempts change nothing', async () => {
  const { contact } = await svc.upsert(WS, { custom: { plan: 'pro' } });
  const id = contact._id;
  await svc.setCustom(WS, id, 'renewal', { value: '2025-01-31T00:00:00Z' });
  const after = await svc.setCustom(WS, id, 'seats', { value: 10 });
  expect(after.custom).toEqual({ plan: 'pro', renewal: new Date('2025-01-31T00:00:00Z'), seats: 10 });
  const before = await svc.get(WS, id);
  for (const key of ['$gt', 'a.b', '__proto__', 'constructor', '']) {
    await expect(svc.setCustom(WS, id, key, { value: 1 })).rejects.toMatchObject({
      details: { path: 'key' },
    });
  }
  await expect(svc.setCustom(WS, id, 'plan', { value: { $gt: '' } })).rejects.toMatchObject({
    details: { path: 'value' },
  });
  await expect(svc.patch(WS, id, { custom: { 'x.y': 1 } })).rejects.toBeInstanceOf(ValidationError);
  await expect(svc.patch(WS, id, { name: { $set: 'x' } })).rejects.toBeInstanceOf(ValidationError);
  expect(await svc.get(WS, id)).toEqual(before);
  const deleted = await svc.deleteCustom(WS, id, 'plan');
  expect(deleted.custom).toEqual({ renewal: new Date('2025-01-31T00:00:00Z'), seats: 10 });
});

test('concurrent tag writes on one contact lose nothing (version check + retry)', async () => {
  const { contact } = await svc.upsert(WS, {});
  await Promise.all(Array.from({ length: 8 }, (_, i) => svc.changeTags(WS, contact._id, { add: [`c${i}`] })));
  const c = await svc.get(WS, contact._id);
  expect(c.tags.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `c${i}`).sort());
  expect(c.version).toBe(9);
});

test('delete removes the contact; a second delete is 404', async () => {
  const { contact } = await svc.upsert(WS, {});
  await svc.delete(WS, contact._id);
  // Exits are recorded BEFORE the delete (contactDeleting, which this listener does not offer):
  // after it, there is nothing left to evaluate.
  expect(listener.for(contact._id).length).toBe(1);
  await expect(svc.delete(WS, contact._id)).rejects.toBeInstanceOf(NotFoundError);
});
