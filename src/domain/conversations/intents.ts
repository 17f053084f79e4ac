/**
 * The keyword → intent table. Each bot message is matched against it (after normalising: NFKC,
 * format characters removed, lower case) and the intents found are counted on the contact as
 * windowed traits; rules name the intent (`asked about "refund" …`), never raw message text.
 * Keywords are whole words or phrases; a message counts once per intent however often it repeats.
 */

/** Intent → its keywords and phrases (lower case). Documented in docs/rules.md. */
export const INTENT_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  refund: ['refund', 'refunds', 'money back', 'reimburse', 'reimbursement', 'chargeback'],
  cancel: ['cancel', 'cancellation', 'cancelling', 'canceling', 'terminate', 'close my account'],
  pricing: ['price', 'prices', 'pricing', 'cost', 'how much', 'discount', 'quote'],
  delivery: ['delivery', 'deliver', 'shipping', 'shipment', 'tracking', 'where is my order', 'parcel'],
  complaint: ['complaint', 'complain', 'broken', 'not working', 'damaged', 'faulty', 'terrible'],
  upgrade: ['upgrade', 'premium', 'pro plan', 'enterprise plan'],
  invoice: ['invoice', 'receipt', 'billing', 'bill'],
  login: ['login', 'log in', 'password', 'sign in', 'locked out'],
};

/** The intent names, sorted: what a rule may name. */
export const INTENTS: readonly string[] = Object.keys(INTENT_KEYWORDS).sort();

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
