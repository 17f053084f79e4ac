/**
 * Tags are compared case-insensitively ("VIP" and "vip" are one tag); the first spelling seen
 * is kept. Pure functions, so the contact service can apply them inside a version-checked retry.
 */
import { z } from 'zod';
import { text } from '../wire';

export const MAX_TAGS = 100;
export const MAX_TAG_LENGTH = 64;

/** One tag: trimmed, 1..64 characters. */
export const tagSchema = text(MAX_TAG_LENGTH, 'tag');

/** A list of tags given in one request (before merging with the contact's own). */
export const tagListSchema = z.array(tagSchema, { error: 'must be an array of tags' }).max(MAX_TAGS, {
  error: `at most ${MAX_TAGS} tags`,
});

/** Removes case-insensitive duplicates, keeping the first spelling. */
export function dedupeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const k = t.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `current` plus `add` minus `remove`, all case-insensitive. */
export function changeTags(
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const gone = new Set(remove.map((t) => t.toLowerCase()));
  return dedupeTags([...current, ...add]).filter((t) => !gone.has(t.toLowerCase()));
}
