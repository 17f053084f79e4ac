/**
 * Correctness checks printed with the membership figures. Dispatch positions must be unique:
 * the dispatcher delivers one transition per position and moves its cursor past it, so a second
 * transition at the same position is never delivered.
 */
import type { MembershipCollections } from '../../src/infra/membership/store';
import { fmt } from './stats';

/** Logs how many transitions share a position with another one; true when none do. */
export async function checkPositions(
  c: MembershipCollections,
  log: (line: string) => void,
): Promise<boolean> {
  const [total, distinct] = await Promise.all([
    c.transitions.countDocuments({}),
    c.transitions.distinct('position', {}),
  ]);
  const shared = total - distinct.length;
  log(
    `  check: dispatch positions: ${fmt(total)} transitions, ${fmt(distinct.length)} distinct positions` +
      (shared > 0
        ? ` — !!! ${fmt(shared)} transitions reuse a position: the dispatcher will skip them !!!`
        : ''),
  );
  return shared === 0;
}
