/**
 * ContactRepo lookups: by id, ids, externalId, email (any case), identity and keys; `list` pages by
 * `_id` ascending and applies every filter. A contact of another workspace is never found.
 */
import { A, aContact, B, expectStored, idsOf, type CurrentRepo } from './fixtures';

export function readsContract(repo: CurrentRepo): void {
  const ann = () =>
    aContact(A, 'c-ann', {
      externalId: 'crm-1',
      email: 'ann@example.com',
      emailDomain: 'example.com',
      phone: '+441234',
      tags: ['VIP', 'beta'],
      custom: {
        plan: 'pro',
        seats: 5,
        trial: false,
        renews: new Date('2025-01-01T00:00:00.000Z'),
        none: null,
      },
      identities: [
        { channelId: 'teams', userId: '29:abc' },
        { channelId: 'slack', userId: 'U1' },
      ],
      segments: [{ segmentId: 'seg-1', since: new Date('2024-02-01T00:00:00.000Z') }],
      leadScore: 40,
      leadScoreAt: new Date('2024-02-15T00:00:00.000Z'),
      lifetimeValue: 120.5,
    });

  test('every lookup finds the inserted contact, equal to it and plain', async () => {
    const c = ann();
    await repo().insert({ ...c });
    expectStored(await repo().findById(A, c._id), c, c.updatedAt);
    expectStored(await repo().findByExternalId(A, 'crm-1'), c, c.updatedAt);
    expectStored(await repo().findByEmail(A, 'ann@example.com'), c, c.updatedAt);
    expectStored(await repo().findByIdentity(A, { channelId: 'slack', userId: 'U1' }), c, c.updatedAt);
    const [byIds] = await repo().findByIds(A, [c._id]);
    expectStored(byIds ?? null, c, c.updatedAt);
  });

  test('emails are looked up case-insensitively', async () => {
    await repo().insert(ann());
    expect((await repo().findByEmail(A, 'Ann@Example.COM'))?._id).toBe('c-ann');
    expect(idsOf(await repo().findByKeys(A, [], ['ANN@example.com']))).toEqual(['c-ann']);
    expect(idsOf(await repo().list(A, undefined, 10, { email: 'ANN@EXAMPLE.com' }))).toEqual(['c-ann']);
  });

  test('missing: lookups give null, findByIds and findByKeys leave it out', async () => {
    await repo().insert(ann());
    expect(await repo().findById(A, 'nope')).toBeNull();
    expect(await repo().findByExternalId(A, 'crm-404')).toBeNull();
    expect(await repo().findByEmail(A, 'nobody@example.com')).toBeNull();
    expect(await repo().findByIdentity(A, { channelId: 'teams', userId: 'U1' })).toBeNull();
    expect(idsOf(await repo().findByIds(A, ['nope', 'c-ann', 'gone']))).toEqual(['c-ann']);
    expect(await repo().findByIds(A, [])).toEqual([]);
    expect(await repo().findByKeys(A, [], [])).toEqual([]);
    expect(await repo().findByKeys(A, ['crm-404'], ['nobody@example.com'])).toEqual([]);
  });

  test('another workspace finds nothing by any lookup or listing', async () => {
    await repo().insert(ann());
    expect(await repo().findById(B, 'c-ann')).toBeNull();
    expect(await repo().findByExternalId(B, 'crm-1')).toBeNull();
    expect(await repo().findByEmail(B, 'ann@example.com')).toBeNull();
    expect(await repo().findByIdentity(B, { channelId: 'teams', userId: '29:abc' })).toBeNull();
    expect(await repo().findByIds(B, ['c-ann'])).toEqual([]);
    expect(await repo().findByKeys(B, ['crm-1'], ['ann@example.com'])).toEqual([]);
    expect(await repo().list(B, undefined, 10)).toEqual([]);
    expect(await repo().list(B, undefined, 10, { tag: 'vip' })).toEqual([]);
    expect(await repo().list(B, undefined, 10, { segmentId: 'seg-1' })).toEqual([]);
  });

  test('findByKeys gives the contacts holding any of the externalIds or emails', async () => {
    await repo().insert(ann());
    await repo().insert(aContact(A, 'c-bob', { externalId: 'crm-2' }));
    await repo().insert(aContact(A, 'c-cat', { email: 'cat@example.com', emailDomain: 'example.com' }));
    await repo().insert(aContact(A, 'c-dan', { externalId: 'crm-4', email: 'dan@example.com' }));
    await repo().insert(aContact(B, 'c-bob-b', { externalId: 'crm-2', email: 'cat@example.com' }));
    const got = await repo().findByKeys(
      A,
      ['crm-2', 'crm-1', 'crm-9'],
      ['cat@example.com', 'ann@example.com'],
    );
    // A contact matched twice may come twice (callers index by key): the set is the contract.
    expect([...new Set(idsOf(got))]).toEqual(['c-ann', 'c-bob', 'c-cat']);
  });

  test('list pages by _id ascending: afterId is exclusive and limit is the page size', async () => {
    for (const id of ['c-05', 'c-01', 'c-04', 'c-02', 'c-03']) await repo().insert(aContact(A, id));
    await repo().insert(aContact(B, 'c-00'));
    const page1 = await repo().list(A, undefined, 2);
    expect(page1.map((c) => c._id)).toEqual(['c-01', 'c-02']);
    const page2 = await repo().list(A, 'c-02', 2);
    expect(page2.map((c) => c._id)).toEqual(['c-03', 'c-04']);
    expect((await repo().list(A, 'c-04', 2)).map((c) => c._id)).toEqual(['c-05']);
    expect(await repo().list(A, 'c-05', 2)).toEqual([]);
    expectStored(page1[0]!, aContact(A, 'c-01'), aContact(A, 'c-01').updatedAt);
  });

  test('list filters: tag in any case, segment, email, externalId and identity, all of them at once', async () => {
    await repo().insert(ann());
    await repo().insert(aContact(A, 'c-bob', { tags: ['vip'], externalId: 'crm-2' }));
    await repo().insert(
      aContact(A, 'c-cat', { segments: [{ segmentId: 'seg-1', since: new Date() }], tags: ['other'] }),
    );
    const list = (f: Parameters<ReturnType<CurrentRepo>['list']>[3]) =>
      repo()
        .list(A, undefined, 10, f)
        .then((cs) => cs.map((c) => c._id));
    expect(await list({ tag: 'Vip' })).toEqual(['c-ann', 'c-bob']);
    expect(await list({ tag: 'BETA' })).toEqual(['c-ann']);
    expect(await list({ segmentId: 'seg-1' })).toEqual(['c-ann', 'c-cat']);
    expect(await list({ externalId: 'crm-2' })).toEqual(['c-bob']);
    expect(await list({ identity: { channelId: 'teams', userId: '29:abc' } })).toEqual(['c-ann']);
    expect(await list({ identity: { channelId: 'slack', userId: '29:abc' } })).toEqual([]);
    expect(await list({ tag: 'vip', segmentId: 'seg-1' })).toEqual(['c-ann']);
    expect(await list({ tag: 'vip', externalId: 'crm-1', email: 'ann@example.com' })).toEqual(['c-ann']);
    expect(await list({ tag: 'other', externalId: 'crm-1' })).toEqual([]);
  });
}
