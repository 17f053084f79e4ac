/**
 * The conversation vocabulary of the rule language: the intents a rule may name and the limits of
 * windowed counters. It lives with the rules (the lowest layer) because the language is defined by
 * it; the bot's intent detection and the activity traits (src/domain/conversations) read it from here.
 */

/** How many occurrences are kept per counter: rules may ask for counts up to this. */
export const MAX_RANK = 20;
/** Occurrences older than this before the latest message can match no window a rule may use. */
export const MAX_WINDOW_MS = 90 * 86_400_000;

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
