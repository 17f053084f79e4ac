/**
 * Input shapes whose JSON Schema (in the OpenAPI document) says exactly what the server accepts:
 * the document is the contract (issue 28), checked by Schemathesis from both sides (what it says
 * is valid must be accepted, what it says is invalid must be refused). zod's own `.trim().min(1)`
 * or a string coerced to a number look looser in JSON Schema than they are, so these check the
 * raw value with patterns that JavaScript and other regex engines read alike (explicit character
 * classes, no `\s`), and count lengths in code points, as JSON Schema does.
 */
import { z } from 'zod';

/** The blanks dropped around text: the ones every regex engine agrees on. */
const BLANK = '[ \\t\\n\\r]';
const AROUND = new RegExp(`^${BLANK}+|${BLANK}+$`, 'g');
const NOT_BLANK = /[^ \t\n\r]/;

/** Code points, as JSON Schema's maxLength counts (JavaScript's length counts UTF-16 units). */
export const codePoints = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
};

export const trimBlanks = (s: string): string => s.replace(AROUND, '');

/**
 * Text of 1..max characters once the blanks around it are dropped (they are dropped). `max`
 * counts the text as sent, blanks included, so the document's maxLength is the whole rule.
 */
export function text(max: number, what: string, typeError = `${what} must be a string`) {
  return z
    .string({ error: typeError })
    .refine((s) => codePoints(s) <= max, `${what} must be at most ${max} characters`)
    .regex(NOT_BLANK, `${what} must not be empty`)
    .transform(trimBlanks)
    .meta({ maxLength: max });
}

/** Text that may be empty (a name): only its length is checked; blanks around it are dropped. */
export function optionalText(max: number, what: string) {
  return z
    .string({ error: `${what} must be a string` })
    .refine((s) => codePoints(s) <= max, `${what} must be at most ${max} characters`)
    .transform(trimBlanks)
    .meta({ maxLength: max });
}

/**
 * An e-mail address (blanks around it allowed and dropped), stored lower-case. The pattern is
 * zod's `z.email()` without its look-aheads: no leading dot, no `..`, a local part ending in a
 * letter, digit, `_`, `+` or `-`, and a domain of letter-digit-hyphen labels and a TLD of letters.
 */
const EMAIL =
  "(?:[A-Za-z0-9_'+-]+\\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\\.)+[A-Za-z]{2,}";
export const EMAIL_PATTERN = new RegExp(`^${BLANK}*${EMAIL}${BLANK}*$`);
export const email = (typeError = 'email must be a string') =>
  z
    .string({ error: typeError })
    .max(254, 'email must be at most 254 characters')
    .regex(EMAIL_PATTERN, 'email must be a valid address')
    .transform((e) => trimBlanks(e).toLowerCase());
export const emailSchema = email();

/**
 * A whole number in a query string, `min`..`max`, in decimal digits (leading zeros allowed, no
 * `+`, exponent, fraction or blanks). Documented as an integer parameter with its range.
 */
export function wholeNumberParam(min: number, max: number, message: string) {
  return z
    .unknown()
    .transform((v, ctx) => {
      const n = typeof v === 'string' && /^-?[0-9]{1,15}$/.test(v) ? Number(v) : NaN;
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message, input: v });
      return z.NEVER;
    })
    .meta({ type: 'integer', minimum: min, maximum: max });
}
