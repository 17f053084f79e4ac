/**
 * The keyword → intent table. Each bot message is matched against it (after normalising: NFKC,
 * format characters removed, lower case) and the intents found are counted on the contact as
 * windowed traits; rules name the intent (`asked about "refund" …`), never raw message text.
 * Keywords are whole words or phrases; a message counts once per intent however often it repeats.
 */

import { INTENT_KEYWORDS } from '../../rules/conversationTerms';

export { INTENT_KEYWORDS, INTENTS } from '../../rules/conversationTerms';

const escape = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&').replace(/ /g, '\\s+');

// Whole words only (\p{L}\p{N} boundaries, so "bill" is not found in "billion" or "précis").
const MATCHERS = Object.entries(INTENT_KEYWORDS).map(([intent, words]) => ({
  intent,
  re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'u'),
}));

/** The intents a (normalised, lower-case) message mentions, in table order, each once. */
export function detectIntents(normalisedText: string): string[] {
  return MATCHERS.filter((m) => m.re.test(normalisedText)).map((m) => m.intent);
}
