/**
 * What the contact, event, import and bot code rely on from a ContactRepo
 * (src/domain/contacts/repo.ts), in three parts: lookups and listing (contactRepo/reads.ts),
 * inserts, updates and deletes (contactRepo/writes.ts), and trait changes (contactRepo/traits.ts).
 */
import type { ContactRepo } from '../../src/domain/contacts/repo';
import { readsContract } from './contactRepo/reads';
import { traitsContract } from './contactRepo/traits';
import { writesContract } from './contactRepo/writes';

export function describeContactRepoContract(
  name: string,
  make: () => Promise<ContactRepo> | ContactRepo,
): void {
  describe(`ContactRepo contract: ${name}`, () => {
    let repo: ContactRepo;
    beforeEach(async () => {
      repo = await make();
    });
    const current = () => repo;
    describe('reads', () => readsContract(current));
    describe('writes', () => writesContract(current));
    describe('traits', () => traitsContract(current));
  });
}
