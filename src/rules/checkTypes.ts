/** The primitive checks a condition lowers to (lower.ts), which every compiled target runs. */

/** A range end: the instant/number `ms`, or `now + ms` when `relative`. */
export interface Bound {
  ms: number;
  relative: boolean;
  inclusive: boolean;
}

/**
 * A primitive check on the value at `path`. `regex` matches strings (only) that match any of its
 * flag-free sources; `range` only matches values of its `type` (Mongo's type bracketing); `tags`
 * and `segments.segmentId` are multi-valued and match when any element does.
 */
export type Check =
  | { kind: 'regex'; path: string; sources: string[] }
  | { kind: 'eq'; path: string; value: string | number | boolean }
  | { kind: 'in'; path: string; values: readonly (string | number)[] }
  | { kind: 'range'; path: string; type: 'number' | 'date'; min?: Bound; max?: Bound }
  | { kind: 'present'; path: string }
  | { kind: 'all'; checks: Check[] }
  | { kind: 'not'; check: Check }
  | RecentCheck;

/**
 * A windowed count, as one ranked occurrence: the array at `path` has an element `{r: rank, at}`
 * (and `i: intent` when given) with `at >= now + since.ms` — "at least `rank` occurrences since".
 */
export interface RecentCheck {
  kind: 'recent';
  path: string;
  rank: number;
  intent?: string;
  since: Bound;
}
