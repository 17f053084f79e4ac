/**
 * What the bot matches words against: the text as a person meant it. Web Chat and phone
 * keyboards add zero-width spaces, bidi marks and full-width letters around words; those are
 * removed or folded (NFKC, then every Unicode format character `\p{Cf}` dropped) before any
 * command, greeting, opt-out phrase or intent keyword is recognised.
 */

/** NFKC and format characters removed, trimmed; case kept (commands quote names and rules). */
export function cleanText(text: string | undefined): string {
  return (text ?? '')
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .trim();
}

// Phone keyboards ("smart punctuation") and office apps turn " into typographic quotes.
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u2036]/g;

/**
 * cleanText for a slash command: typographic double quotes (“VIP Customers”) become plain ones,
 * which is what names and rule strings are quoted with.
 */
export function commandText(text: string | undefined): string {
  return cleanText(text).replace(DOUBLE_QUOTES, '"');
}

/** cleanText in lower case with single spaces. */
export function canonicalText(text: string | undefined): string {
  return cleanText(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** canonicalText without surrounding punctuation: "  Hello!\u200b" → "hello". */
export function normalise(text: string | undefined): string {
  return canonicalText(text).replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

// Generous, but only where the whole message is about stopping messages: "stop", "please stop
// sending me messages", "unsubscribe me", "opt out", "no more messages", "leave me alone".
const OPT_OUT = [
  /^(?:please )?(?:stop|unsubscribe|opt[ -]?out)(?: me)?(?: please)?$/,
  /^(?:please )?(?:stop|quit|no more) (?:sending|messaging|texting|contacting|writing|spamming)? ?(?:me|us)?(?: any ?more)? ?(?:messages?|texts?|emails?|notifications?|spam)?(?: any ?more)?(?: please)?$/,
  /^(?:please )?(?:unsubscribe|remove) me(?: from (?:this|the|your) (?:list|messages|newsletter))?(?: please)?$/,
  /^(?:i want to |i'd like to |i would like to )?(?:unsubscribe|opt out)$/,
  /^(?:please )?(?:leave me alone|don'?t (?:message|text|contact|write to) me(?: again| any ?more)?)$/,
  /^no more (?:messages|texts|emails|notifications)(?: please)?$/,
];
const OPT_IN = [/^(?:start|subscribe|opt[ -]?in|resume)(?: me)?(?: again)?(?: please)?$/];

/** 'out' for a request to stop messages, 'in' for one to receive them again, else undefined. */
export function optOutIntent(text: string | undefined): 'out' | 'in' | undefined {
  const t = normalise(text).replace(/[.,!?;:]+/g, '');
  if (OPT_OUT.some((re) => re.test(t))) return 'out';
  if (OPT_IN.some((re) => re.test(t))) return 'in';
  return undefined;
}
