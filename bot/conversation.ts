/**
 * What the bot says to everyone (after handoff and admin commands had their chance): a greeting
 * on the first message of a conversation and on "hi"/"hello"/"hey"/"menu", the offer on
 * "offers", opt-out and back in on "stop"/"unsubscribe"/"start", and otherwise a short list of
 * what it can do.
 */
import type { TurnContext } from 'botbuilder';
import type { Contact } from '../src/domain/contacts/types';
import type { TurnHandler, TurnInfo } from './contracts';
import type { Personaliser } from './personalise';
import { normalise, optOutIntent } from './text';

export const HELP_TEXT = [
  'Here is what I can do:',
  '- help: this list',
  '- offers: the best offer for you today',
  '- agent: talk to a person',
  '- stop: no more messages from us (start: messages again)',
].join('\n');

const GREETINGS = new Set(['hi', 'hello', 'hey', 'menu']);
const OWN_WORDS = new Set([...GREETINGS, 'help', 'offers', 'offer']);

/** A word this handler answers itself (greetings, help, offers): the handoff leaves it to the bot. */
export const isBotWord = (text: string | undefined): boolean => OWN_WORDS.has(normalise(text));

export { normalise } from './text';

export interface ConversationDeps {
  personaliser: Pick<Personaliser, 'greeting' | 'offer'>;
  contacts: { patch(ws: string, id: string, body: unknown): Promise<Contact> };
  /**
   * BOT_WELCOME=flow: does a workflow welcome this new contact (then the bot does not greet them
   * too)? Absent (BOT_WELCOME=greeting): the bot's greeting is the welcome.
   */
  welcomedByFlow?: (info: TurnInfo) => Promise<boolean>;
}

/** Opt-out: stop/unsubscribe and start toggle `optedOut`, each confirmed. */
export function createOptOutHandler(deps: Pick<ConversationDeps, 'contacts'>): TurnHandler {
  return async (context, info) => {
    if (context.activity.type !== 'message') return false;
    const intent = optOutIntent(context.activity.text);
    if (intent === undefined) return false;
    const optedOut = intent === 'out';
    await deps.contacts.patch(info.workspaceId, info.contact._id, { optedOut });
    await context.sendActivity(
      optedOut
        ? 'You\'re unsubscribed: we won\'t send you campaign or follow-up messages. Type "start" to subscribe again.'
        : 'You\'re subscribed again: we\'ll keep you posted. Type "stop" at any time to unsubscribe.',
    );
    return true;
  };
}

/**
 * Greeting, offers and help; always takes a message, so it runs last. A new contact is greeted
 * whatever they said, unless a workflow welcomes them (BOT_WELCOME=flow): then a greeting of
 * theirs needs no other answer, and anything else is answered as for anyone.
 */
export function createConversationHandler(
  deps: Pick<ConversationDeps, 'personaliser' | 'welcomedByFlow'>,
): TurnHandler {
  return async (context: TurnContext, info: TurnInfo) => {
    const a = context.activity;
    if (a.type !== 'conversationUpdate' && a.type !== 'message') return false;
    const byFlow = info.newContact === true && (await deps.welcomedByFlow?.(info)) === true;
    if (a.type === 'conversationUpdate') {
      if (!byFlow) await context.sendActivity(deps.personaliser.greeting(info));
      return true;
    }
    const word = normalise(a.text);
    if (byFlow && GREETINGS.has(word)) return true;
    if ((info.newContact && !byFlow) || GREETINGS.has(word))
      await context.sendActivity(deps.personaliser.greeting(info));
    else if (word === 'offers' || word === 'offer') await context.sendActivity(deps.personaliser.offer(info));
    else if (word === 'agent' || word === 'human')
      // Reached only when no handoff handler took the request.
      await context.sendActivity(
        "Sorry, no one is available to take over right now. I'm still here to help.\n" + HELP_TEXT,
      );
    else await context.sendActivity(word === 'help' ? HELP_TEXT : `I didn't catch that. ${HELP_TEXT}`);
    return true;
  };
}
