/**
 * The meaning of rule literals, shared by every evaluation target (Mongo filter, predicate,
 * nextFlip, explain) so that they cannot drift apart: date boundaries, relative windows, text
 * patterns and the lower-casing of stored-lower-case fields.
 */
import type { RelativeTime, RuleContext } from './ast';
import { RuleValidationError } from './errors';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** The half-open interval [start, end) of instants a date literal denotes, in epoch ms (UTC). */
export interface DateSpan {
  start: number;
  end: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/**
 * A `YYYY-MM-DD` literal is the whole UTC day; an instant literal is its one millisecond. So
 * `before X` is `value < start`, `after X` is `value >= end` and `on D` is `start <= value < end`.
 * Returns undefined for anything else, including impossible dates such as 2024-02-30.
 */
export function dateSpan(literal: string): DateSpan | undefined {
  const m = DAY.exec(literal) ?? INSTANT.exec(literal);
  if (!m) return undefined;
  const part = (i: number): number => Number(m[i] ?? 0);
  const [y, mo, d, h, mi, s] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  // Not Date.UTC: it reads years 0..99 as 1900..1999.
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  back.setUTCHours(h, mi, s, ms);
  const start = back.getTime();
  // Out-of-range parts roll over (02-30 becomes March 1st): a round trip catches them.
  const sane =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  if (!sane) return undefined;
  return { start, end: start + (m[4] === undefined ? MS_PER_DAY : 1) };
}

/**
 * True for a Date, including one from another realm (a vm context, a worker's structured clone)
 * where `instanceof Date` is false but MongoDB and mingo still see a date.
 */
export function isDate(v: unknown): v is Date {
  if (v instanceof Date) return true;
  return typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Date]';
}

/** The length of a relative time in ms: N days are exactly N × 24 h (UTC has no DST). */
export function relativeMs(t: RelativeTime): number {
  return t.amount * (t.unit === 'minutes' ? MS_PER_MINUTE : t.unit === 'hours' ? MS_PER_HOUR : MS_PER_DAY);
}

/**
 * The lower-casing the contact model applies to `storedLowerCase` fields (email, emailDomain);
 * rule literals on those fields go through the same function so that they compare exactly.
 */
export function lowerCaseStored(text: string): string {
  return text.toLowerCase();
}

/**
 * A regex tail that only matches at the very end of the subject. `$` is not used: PCRE
 * (MongoDB) and java.util.regex (mongo-java-server) also let it match before a final newline.
 */
export const END = '(?![\\s\\S])';

function escapeChar(ch: string): string {
  if (/[\\^$.|?*+()[\]{}]/.test(ch)) return `\\${ch}`;
  // JS writes U+2028/9 in RegExp#source (which the driver sends) as \u2028, which PCRE rejects
  // and which has no spelling all three engines read: such a literal character matches any one.
  if (ch === '\u2028' || ch === '\u2029') return '[\\s\\S]';
  const code = ch.charCodeAt(0);
  // Control characters travel as \xHH: MongoDB refuses a pattern with an embedded NUL byte.
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return ch;
}

/**
 * One literal character, case-insensitively. The case variants are spelled out instead of using
 * the `i` flag because JS, PCRE and Java fold case differently outside ASCII (Kelvin sign, long
 * s, Java's ASCII-only default); a flag-free pattern means the same to all three engines.
 */
function caseless(ch: string): string {
  const up = ch.toUpperCase();
  const low = ch.toLowerCase();
  const all = new Set([ch, low, up, up.toLowerCase(), low.toUpperCase()]);
  // Multi-character forms (ß → SS) are left out: one character matches one character.
  const forms = [...all].filter((x) => [...x].length === 1).sort();
  if (forms.length === 1) return escapeChar(ch);
  // Astral letters are two UTF-16 units, which a JS character class without `u` would split.
  return forms.every((x) => x.length === 1) ? `[${forms.join('')}]` : `(?:${forms.join('|')})`;
}

/** The regex source matching `text` literally: case-insensitively, or exactly when `exact`. */
export function literalPattern(text: string, exact: boolean): string {
  let out = '';
  for (const ch of text) out += exact ? escapeChar(ch) : caseless(ch);
  return out;
}

/**
 * A literal as the database will hold it: BSON strings are UTF-8, so a lone surrogate reaches the
 * server (and every stored value) as U+FFFD. The predicate uses the same text, or it would
 * disagree with the server on exactly those strings.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Text operators as flag-free regex sources over a literal (`exact` for stored-lower-case fields). */
export function textPattern(
  op: 'equals' | 'contains' | 'starts with' | 'ends with',
  text: string,
  exact: boolean,
): string {
  const p = literalPattern(wellFormed(exact ? lowerCaseStored(text) : text), exact);
  if (op === 'equals') return `^${p}${END}`;
  if (op === 'starts with') return `^${p}`;
  if (op === 'ends with') return `${p}${END}`;
  return p;
}

/** A path inside a rule, in RuleValidationError's notation: `children[2].value`, '' for the root. */
export function subPath(path: string, sub: string | number): string {
  const part = typeof sub === 'number' ? `children[${sub}]` : sub;
  return path === '' ? part : `${path}.${part}`;
}

/**
 * The id stored in `contact.segments[].segmentId` for a segment named in a rule. A rule naming a
 * segment that does not exist (or compiled without a context) cannot mean anything: it is invalid.
 */
export function resolveSegmentId(name: string, ctx: RuleContext | undefined, path: string): string {
  const id = ctx?.resolveSegment(name);
  if (id === undefined) {
    const message = ctx
      ? `unknown segment "${name}"`
      : `segment "${name}" cannot be resolved without a context`;
    throw new RuleValidationError([{ path: subPath(path, 'value'), message }]);
  }
  return id;
}
