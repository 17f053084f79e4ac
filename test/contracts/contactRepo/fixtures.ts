/** Contacts as the contact service builds them, and what a read of one must give back. */
import { evaluateBy, type ContactRepo } from '../../../src/domain/contacts/repo';
import { ZERO_TRAITS, type Contact } from '../../../src/domain/contacts/types';
import { expectPlainRecord } from '../plain';

export const A = 'ws-a';
export const B = 'ws-b';
export const T0 = new Date('2024-03-01T10:00:00.000Z');
export const at = (s: number): Date => new Date(T0.getTime() + s * 1000);

export type CurrentRepo = () => ContactRepo;

/** A new contact (version 1, no segments) with the given id; emails are stored lower-case. */
export function aContact(workspaceId: string, _id: string, extra: Partial<Contact> = {}): Contact {
  return {
    ...ZERO_TRAITS,
    _id,
    workspaceId,
    name: `Contact ${_id}`,
    createdAt: T0,
    updatedAt: T0,
    tags: [],
    custom: {},
    optedOut: false,
    identities: [],
    segments: [],
    nextRecheckAt: null,
    version: 1,
    ...extra,
  };
}

/**
 * `got` is `expected` as stored: plain, nothing added (no bookkeeping such as derived keys or
 * applied event ids), and carrying the re-evaluation marker of a write at `writtenAt`: set, and
 * due no later than EVALUATE_WITHIN_MS after it.
 */
export function expectStored(got: Contact | null, expected: Contact, writtenAt: Date): void {
  expect(got).not.toBeNull();
  expectPlainRecord(got);
  const { nextRecheckAt, ...rest } = got!;
  const { nextRecheckAt: _ignored, ...want } = expected;
  expect(rest).toEqual(want);
  expect(nextRecheckAt).toBeInstanceOf(Date);
  expect(nextRecheckAt!.getTime()).toBeLessThanOrEqual(evaluateBy(writtenAt).getTime());
}

export const idsOf = (cs: Contact[]): string[] => cs.map((c) => c._id).sort();
