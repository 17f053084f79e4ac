/**
 * ContactRepo writes: externalId, email and each channel identity are unique per workspace
 * (ConflictError naming the field, nothing written); `update` is guarded by the version, replaces
 * the writable fields only (an absent optional one is removed, its key freed), and marks the
 * contact for re-evaluation; another workspace can neither see nor change the contact.
 */
import { ConflictError } from '../../../src/errors';
import type { ContactFields } from '../../../src/domain/contacts/repo';
import { fieldsOfContact } from '../../../src/domain/contacts/merge';
import type { Contact } from '../../../src/domain/contacts/types';
import { A, aContact, at, B, expectStored, type CurrentRepo } from './fixtures';

const conflictOn = (field: string): unknown =>
  expect.objectContaining({ code: 'CONFLICT', details: { field } });

export function writesContract(repo: CurrentRepo): void {
  const bob = () =>
    aContact(A, 'c-bob', {
      externalId: 'crm-2',
      email: 'bob@example.com',
      emailDomain: 'example.com',
      identities: [{ channelId: 'teams', userId: 'bob' }],
      tags: ['VIP'],
    });

  test('a taken externalId, email or identity is a ConflictError naming it, and nothing is inserted', async () => {
    await repo().insert(bob());
    const dup = (extra: Partial<Contact>) => repo().insert(aContact(A, 'c-dup', extra));
    await expect(dup({ externalId: 'crm-2' })).rejects.toBeInstanceOf(ConflictError);
    await expect(dup({ externalId: 'crm-2' })).rejects.toEqual(conflictOn('externalId'));
    await expect(dup({ email: 'bob@example.com' })).rejects.toEqual(conflictOn('email'));
    await expect(
      dup({
        identities: [
          { channelId: 'slack', userId: 'x' },
          { channelId: 'teams', userId: 'bob' },
        ],
      }),
    ).rejects.toEqual(conflictOn('identity'));
    expect(await repo().findById(A, 'c-dup')).toBeNull();
  });

  test('keys are per workspace and per pair: the same ones are free elsewhere', async () => {
    await repo().insert(bob());
    // The same user id on another channel is another identity.
    await repo().insert(aContact(A, 'c-slack-bob', { identities: [{ channelId: 'slack', userId: 'bob' }] }));
    await repo().insert({ ...bob(), _id: 'c-bob-in-b', workspaceId: B });
    expect((await repo().findByEmail(B, 'bob@example.com'))?._id).toBe('c-bob-in-b');
    expect((await repo().findByEmail(A, 'bob@example.com'))?._id).toBe('c-bob');
  });

  test('update replaces the writable fields, bumps version and updatedAt, and marks the contact', async () => {
    const c = { ...bob(), lifetimeValue: 99, segments: [{ segmentId: 'seg-1', since: at(0) }] };
    await repo().insert(c);
    const fields: ContactFields = {
      ...fieldsOfContact(c),
      name: 'Robert',
      email: 'robert@example.org',
      emailDomain: 'example.org',
      tags: ['new'],
      custom: { plan: 'team' },
      optedOut: true,
      identities: [{ channelId: 'slack', userId: 'rob' }],
      leadScore: 70,
      leadScoreAt: at(30),
    };
    const updated = await repo().update(A, c._id, 1, fields, at(60));
    // Traits, memberships and createdAt are not writable fields: they stay.
    const want: Contact = { ...c, ...fields, version: 2, updatedAt: at(60) };
    expectStored(updated, want, at(60));
    expectStored(await repo().findById(A, c._id), want, at(60));
    // Lookups follow the new keys; the old ones are free.
    expect((await repo().findByEmail(A, 'robert@example.org'))?._id).toBe(c._id);
    expect(await repo().findByEmail(A, 'bob@example.com')).toBeNull();
    expect((await repo().findByIdentity(A, { channelId: 'slack', userId: 'rob' }))?._id).toBe(c._id);
    expect(await repo().findByIdentity(A, { channelId: 'teams', userId: 'bob' })).toBeNull();
    expect((await repo().list(A, undefined, 10, { tag: 'NEW' })).map((x) => x._id)).toEqual([c._id]);
    expect(await repo().list(A, undefined, 10, { tag: 'vip' })).toEqual([]);
    await repo().insert(aContact(A, 'c-new-bob', { email: 'bob@example.com', identities: bob().identities }));
  });

  test('an absent optional field is removed with its key; createdAt changes only when given', async () => {
    const c = { ...bob(), phone: '+44', leadScore: 10, leadScoreAt: at(1) };
    await repo().insert(c);
    const {
      externalId: _x,
      email: _e,
      emailDomain: _d,
      phone: _p,
      leadScore: _l,
      leadScoreAt: _a,
      ...kept
    } = fieldsOfContact(c);
    const updated = await repo().update(A, c._id, 1, kept, at(60));
    for (const f of ['externalId', 'email', 'emailDomain', 'phone', 'leadScore', 'leadScoreAt']) {
      expect(updated).not.toHaveProperty(f);
    }
    expect(updated?.createdAt).toEqual(c.createdAt);
    expect(await repo().findByExternalId(A, 'crm-2')).toBeNull();
    await repo().insert(aContact(A, 'c-takes-keys', { externalId: 'crm-2', email: 'bob@example.com' }));
    const older = new Date('2020-01-01T00:00:00.000Z');
    const again = await repo().update(A, c._id, 2, { ...kept, createdAt: older }, at(90));
    expect(again?.createdAt).toEqual(older);
  });

  test('update at a stale version, of a missing contact or from another workspace is null and changes nothing', async () => {
    const c = bob();
    await repo().insert(c);
    const fields = { ...fieldsOfContact(c), name: 'Changed' };
    expect(await repo().update(A, c._id, 2, fields, at(60))).toBeNull();
    expect(await repo().update(A, 'nope', 1, fields, at(60))).toBeNull();
    expect(await repo().update(B, c._id, 1, fields, at(60))).toBeNull();
    expectStored(await repo().findById(A, c._id), c, c.updatedAt);
  });

  test('an update onto a taken key is a ConflictError naming it, and changes nothing', async () => {
    const c = bob();
    const other = aContact(A, 'c-other', { externalId: 'crm-9', email: 'other@example.com' });
    await repo().insert(c);
    await repo().insert(other);
    const f = fieldsOfContact(other);
    await expect(repo().update(A, other._id, 1, { ...f, email: 'bob@example.com' }, at(5))).rejects.toEqual(
      conflictOn('email'),
    );
    await expect(repo().update(A, other._id, 1, { ...f, externalId: 'crm-2' }, at(5))).rejects.toEqual(
      conflictOn('externalId'),
    );
    expectStored(await repo().findById(A, other._id), other, other.updatedAt);
  });

  test('delete removes the contact once and frees its keys; another workspace cannot delete it', async () => {
    const c = bob();
    await repo().insert(c);
    expect(await repo().delete(B, c._id)).toBe(false);
    expectStored(await repo().findById(A, c._id), c, c.updatedAt);
    expect(await repo().delete(A, c._id)).toBe(true);
    expect(await repo().findById(A, c._id)).toBeNull();
    expect(await repo().findByExternalId(A, 'crm-2')).toBeNull();
    expect(await repo().delete(A, c._id)).toBe(false);
    await repo().insert(aContact(A, 'c-reuse', { externalId: 'crm-2', email: 'bob@example.com' }));
  });
}
