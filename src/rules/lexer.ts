/**
 * The tokenizer of the rule text form. It scans lazily, one token ahead of the parser, so the
 * first error in reading order is the one reported.
 */
import { RuleSyntaxError, describeExpected } from './errors';

/** `date` is a bare `2026-01-15...` literal; `punct` is one of ( ) , = != > >= < <=. */
export type TokenKind = 'word' | 'string' | 'number' | 'date' | 'punct' | 'eof';

/** One token of rule text, with where it starts so errors can point at it. */
export interface Token {
  kind: TokenKind;
  /** The token as written (strings with their quotes and escapes). */
  text: string;
  /** Decoded strings, parsed numbers; the text for the other kinds. */
  value: string | number;
  /** Offset of the first character in the source. */
  start: number;
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$-]*(?:\.[A-Za-z0-9_$-]*)*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_TAIL = /[A-Za-z0-9_.$+-]*/y;
// Anything that starts like a date is one token, so a bad date is reported whole.
const DATE_LIKE = /\d{4}-[0-9A-Za-z:.+-]*/y;
const PLAIN_RUN = /[^"\\\n\r]+/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };
const ESCAPE_LIST = ['\\"', '\\\\', '\\n', '\\r', '\\t', '\\uXXXX'];

/** 1-based line and column of `offset`; columns count code points, CRLF is one line break. */
export function position(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    const c = source.charCodeAt(i);
    const lowAfterHigh =
      c >= 0xdc00 && c <= 0xdfff && i > 0 && (source.charCodeAt(i - 1) & 0xfc00) === 0xd800;
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      column = 1;
    } else if (c !== 13 && !lowAfterHigh) column++;
  }
  return { line, column };
}

/** How a token is named in "found ..." messages. */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of rule';
  const text = t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text;
  return t.kind === 'string' ? `string ${text}` : JSON.stringify(text);
}

/** True when `t` is the keyword `word` (keywords are case-insensitive). */
export function isWord(t: Token, word: string): boolean {
  return t.kind === 'word' && t.text.toLowerCase() === word;
}

/** A one-token-lookahead scanner over a rule's text. */
export class Lexer {
  private pos = 0;
  private ahead: Token | undefined;

  constructor(readonly source: string) {}

  /** The next token, without consuming it. */
  peek(): Token {
    return (this.ahead ??= this.scan());
  }

  /** The next token, consumed. */
  next(): Token {
    const t = this.peek();
    this.ahead = undefined;
    return t;
  }

  /** A syntax error at `offset`; `description` follows the position in the message. */
  errorAt(offset: number, description: string, expected: string | string[]): RuleSyntaxError {
    const { line, column } = position(this.source, offset);
    return new RuleSyntaxError(description, line, column, expected);
  }

  /** "expected X[ context], found <token>" at the token. */
  fail(t: Token, expected: string | string[], context = ''): RuleSyntaxError {
    const description = `expected ${describeExpected(expected)}${context}, found ${describeToken(t)}`;
    return this.errorAt(t.start, description, expected);
  }

  private scan(): Token {
    const s = this.source;
    while (this.pos < s.length && ' \t\n\r\f\v'.includes(s.charAt(this.pos))) this.pos++;
    const start = this.pos;
    const c = s.charAt(start);
    if (c === '') return { kind: 'eof', text: '', value: '', start };
    if (c === '"') return this.string(start);
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(s.charAt(start + 1)))) return this.number(start);
    const two = s.slice(start, start + 2);
    const punct = ['!=', '>=', '<='].includes(two) ? two : '(),=<>'.includes(c) ? c : undefined;
    if (punct !== undefined) return this.token('punct', start, start + punct.length);
    WORD.lastIndex = start;
    if (WORD.test(s)) return this.token('word', start, WORD.lastIndex);
    const ch = String.fromCodePoint(s.codePointAt(start) ?? 0);
    const expected = ['a field', 'a value', 'an operator', '"("', '")"'];
    throw this.errorAt(start, `unexpected character ${JSON.stringify(ch)}`, expected);
  }

  private token(kind: TokenKind, start: number, end: number, value?: string | number): Token {
    this.pos = end;
    const text = this.source.slice(start, end);
    return { kind, text, value: value ?? text, start };
  }

  private number(start: number): Token {
    const s = this.source;
    DATE_LIKE.lastIndex = start;
    if (DATE_LIKE.test(s)) return this.token('date', start, DATE_LIKE.lastIndex);
    NUMBER.lastIndex = start;
    NUMBER.test(s);
    NUMBER_TAIL.lastIndex = NUMBER.lastIndex;
    NUMBER_TAIL.test(s);
    const text = s.slice(start, NUMBER_TAIL.lastIndex);
    if (NUMBER_TAIL.lastIndex > NUMBER.lastIndex) {
      throw this.errorAt(
        start,
        `malformed number ${JSON.stringify(text)}`,
        'a number such as 12, -3.5 or 1e3',
      );
    }
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.errorAt(start, `number out of range: ${text}`, 'a finite number');
    return this.token('number', start, NUMBER.lastIndex, value);
  }

  private string(start: number): Token {
    const s = this.source;
    let value = '';
    for (let i = start + 1; ;) {
      const c = s.charAt(i);
      if (c === '' || c === '\n' || c === '\r' || (c === '\\' && i + 1 >= s.length)) {
        throw this.errorAt(start, 'unterminated string: expected a closing " on the same line', '"');
      }
      if (c === '"') return this.token('string', start, i + 1, value);
      if (c !== '\\') {
        PLAIN_RUN.lastIndex = i;
        PLAIN_RUN.test(s);
        value += s.slice(i, PLAIN_RUN.lastIndex);
        i = PLAIN_RUN.lastIndex;
        continue;
      }
      const e = s.charAt(i + 1);
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        i += 2;
      } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        const shown = e === 'u' ? s.slice(i, i + 6) : `\\${e}`;
        throw this.errorAt(i, `bad escape ${JSON.stringify(shown)} in string`, ESCAPE_LIST);
      }
    }
  }
}
