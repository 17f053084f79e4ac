/**
 * A limit on how deeply a request body nests, for every route, checked on the raw text before
 * JSON.parse. JSON.parse itself copes with any depth, but much of what reads the value afterwards
 * recurses (zod, JSON.stringify in the Direct Line store, the BSON serialiser), and 4,500 levels
 * overflowed the stack there: a 500 (issue 28). The REST API's own limits are tighter and keep
 * their precise messages (a rule nests at most 8 groups, an event's `data` at most 32 levels):
 * this one is the floor under every route, the bot's and Direct Line's included.
 */
import { AppError } from '../../errors';

/** Levels of `[` / `{` a body may open; above the REST API's deepest legitimate body (event data). */
export const MAX_BODY_DEPTH = 64;

export class BodyTooDeepError extends AppError {
  constructor(max: number) {
    super('BODY_TOO_DEEP', 400, `The request body is nested more than ${max} levels deep.`, { max });
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * True when the text opens more than `max` levels. One pass, no recursion, no allocation; the
 * bytes it looks at are ASCII, which never occur inside a UTF-8 multi-byte sequence, so a Buffer
 * is read as it is. Brackets inside strings do not count. Malformed JSON is left to the parser.
 */
export function nestsDeeperThan(body: string | Uint8Array, max: number): boolean {
  const at: (i: number) => number =
    typeof body === 'string' ? (i) => body.charCodeAt(i) : (i) => body[i] as number;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}
