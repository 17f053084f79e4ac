/**
 * The model world: contacts, segments (by slot), lists, the event ids seen, the clock, and the
 * memberships that follow from them by definition. Every change returns the transitions it
 * implies (who enters and leaves what, when, and why), which is what the product's feed must say.
 * Dynamic segments are evaluated in slot order: a rule may only name lower slots and lists.
 */
import type { Rule } from '../../../src/rules/ast';
import { datesOf, fieldsOf, type ModelContact } from './contact';
import { holds, referencesOf, windowsOf } from './rules';

export type Cause = 'contact' | 'event' | 'time' | 'definition' | 'manual';

export interface Expected {
  contact: string;
  /** The model's id of the segment or list (`S2#1`: slot 2, first incarnation). */
  segment: string;
  kind: 'entered' | 'exited';
  at: number;
  cause: Cause;
}

export interface ModelSegment {
  simId: string;
  name: string;
  rule: Rule;
}

export interface ModelList {
  simId: string;
  name: string;
  members: Set<string>;
}

export class World {
  readonly contacts = new Map<string, ModelContact>();
  readonly segments: (ModelSegment | undefined)[] = [];
  readonly lists: (ModelList | undefined)[] = [];
  /** Event ids the product stored (replays of these change nothing). */
  readonly eventIds = new Set<string>();
  /** Contact key → ids of the segments and lists it is in. */
  readonly member = new Map<string, Set<string>>();
  private incarnations = 0;

  constructor(public now: number) {}

  newSimId(prefix: 'S' | 'L', slot: number): string {
    return `${prefix}${slot}#${++this.incarnations}`;
  }

  /** The segment or list of that name (case-insensitive), if it exists now. */
  byName(name: string): ModelSegment | ModelList | undefined {
    const n = name.toLowerCase();
    return [...this.segments, ...this.lists].find((s) => s?.name.toLowerCase() === n);
  }

  /** Who depends on `name` (its dynamic segments naming it). */
  dependents(name: string): ModelSegment[] {
    const n = name.toLowerCase();
    return this.segments.filter(
      (s): s is ModelSegment => s !== undefined && referencesOf(s.rule).includes(n),
    );
  }

  /** Whether `name` depends, directly or through others, on `target` (or is it). */
  dependsOn(name: string, target: string): boolean {
    const n = name.toLowerCase();
    if (n === target.toLowerCase()) return true;
    const s = this.segments.find((x) => x?.name.toLowerCase() === n);
    return s !== undefined && referencesOf(s.rule).some((r) => this.dependsOn(r, target));
  }

  /**
   * The contact's memberships at instant `t`, by definition: lists as they are, then each
   * dynamic segment once every segment it names is known (the rules form no cycle).
   */
  membershipsAt(c: ModelContact, t: number): Set<string> {
    const out = new Set<string>();
    for (const l of this.lists) if (l?.members.has(c.key)) out.add(l.simId);
    const fields = fieldsOf(c);
    const inSegment = (name: string): boolean => {
      const x = this.byName(name);
      return x !== undefined && out.has(x.simId);
    };
    let todo = this.segments.filter((s): s is ModelSegment => s !== undefined);
    const done = new Set<string>(this.lists.flatMap((l) => (l ? [l.name.toLowerCase()] : [])));
    while (todo.length > 0) {
      const ready = todo.filter((s) => referencesOf(s.rule).every((r) => done.has(r)));
      if (ready.length === 0) throw new Error('model: segments depend on each other in a cycle');
      for (const s of ready) {
        if (holds(s.rule, { fields, tags: c.tags, now: t, inSegment })) out.add(s.simId);
        done.add(s.name.toLowerCase());
      }
      todo = todo.filter((s) => !ready.includes(s));
    }
    return out;
  }

  /** Brings every contact's memberships to instant `t`; the changes, attributed to `cause`. */
  settle(t: number, cause: Cause, only?: string): Expected[] {
    const out: Expected[] = [];
    for (const c of this.contacts.values()) {
      if (only !== undefined && c.key !== only) continue;
      const before = this.member.get(c.key) ?? new Set<string>();
      const after = this.membershipsAt(c, t);
      for (const id of before)
        if (!after.has(id)) out.push({ contact: c.key, segment: id, kind: 'exited', at: t, cause });
      for (const id of after)
        if (!before.has(id)) out.push({ contact: c.key, segment: id, kind: 'entered', at: t, cause });
      this.member.set(c.key, after);
    }
    return out;
  }

  /** A contact leaves everything (it is deleted). */
  remove(key: string, cause: Cause): Expected[] {
    const before = this.member.get(key) ?? new Set<string>();
    this.contacts.delete(key);
    this.member.delete(key);
    for (const l of this.lists) l?.members.delete(key);
    return [...before].map((segment) => ({
      contact: key,
      segment,
      kind: 'exited' as const,
      at: this.now,
      cause,
    }));
  }

  /** The instants in (now, to] at which some membership may change because time passes. */
  private candidates(to: number): number[] {
    const windows = new Set<number>([0]);
    for (const s of this.segments) if (s) for (const w of windowsOf(s.rule)) windows.add(w);
    const out = new Set<number>();
    for (const c of this.contacts.values())
      for (const d of datesOf(c)) for (const w of windows) for (const e of [-1, 0, 1, 2]) out.add(d + w + e);
    return [...out].filter((x) => x > this.now && x <= to).sort((a, b) => a - b);
  }

  /** The first instant in (now, to] at which some membership changes, or null. */
  nextChange(to: number): number | null {
    for (const t of this.candidates(to)) {
      for (const c of this.contacts.values()) {
        const before = this.member.get(c.key) ?? new Set<string>();
        const after = this.membershipsAt(c, t);
        if (after.size !== before.size || [...after].some((id) => !before.has(id))) return t;
      }
    }
    return null;
  }

  /** Moves the clock to `t` (no later than nextChange): the changes due at `t`, cause `time`. */
  advanceTo(t: number): Expected[] {
    this.now = t;
    return this.settle(t, 'time');
  }
}
