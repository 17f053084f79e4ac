/**
 * Random conversation activity for the differential tests: ranked occurrences as the bot stores
 * them (src/domain/conversations/activity.ts), with the irregularities a database may hold.
 */
import type { Rng } from './rng';

/** Intents the random rules name (a subset of the keyword table, plus one no rule names). */
export const INTENT_POOL = ['refund', 'cancel', 'pricing'];

/**
 * Ranked occurrences as the bot stores them (`{r, at}`, `i` for intents: see
 * src/domain/conversations/activity.ts), sometimes out of order, duplicated, with a wrong-typed
 * rank or date, or a null element; ranks and dates stay scalar (DESIGN §2.1).
 */
export function randomRanked(r: Rng, intents: boolean, dates: () => Date): unknown {
  if (r.chance(0.1)) return r.chance(0.5) ? [] : null;
  const out: unknown[] = [];
  for (const i of intents ? r.some([...INTENT_POOL, 'login'], 3) : [undefined]) {
    const n = r.int(6);
    for (let k = 1; k <= n; k++) {
      const at: unknown = r.chance(0.05) ? dates().toISOString() : dates();
      const rank: unknown = r.chance(0.04) ? String(k) : r.chance(0.05) ? k + 1 : k;
      out.push(i === undefined ? { r: rank, at } : { i, r: rank, at });
    }
  }
  if (r.chance(0.05)) out.push(null);
  return out;
}
