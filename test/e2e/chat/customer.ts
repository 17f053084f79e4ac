/**
 * The customer's side: one welcome for a new person (the bot's greeting; the welcome flow goes on
 * without its own first message), the words the help lists, the greeting and offer picked by the
 * caller's segments, "stop" and "start", and commands of other roles refused with nothing changed.
 */

import { eventually, pause } from '../../support/flowWait';
import type { ChatServer } from './harness';

export const CUSTOMER_HELP =
  /^Here is what I can do:\n- help: this list\n- offers: .*\n- agent: .*\n- stop: /s;

export function customerCases(server: () => ChatServer): void {
  describe('customer', () => {
    test('a new customer gets one welcome: the greeting, and the welcome flow goes on without its own', async () => {
      const s = server();
      const cara = s.user('cara', 'Cara');
      const mark = s.mark;
      const r = await s.say(cara, 'hi');
      expect(r.texts).toEqual([
        expect.stringMatching(/^Welcome, Cara, and thanks for joining us this week!/),
      ]);
      const id = (await s.contact('Cara'))._id;
      await s.api('PATCH', `/contacts/${id}`, { email: 'cara@example.com' });
      // The welcome flow started for her (she entered "New This Week") and took its first step.
      const [inst] = await eventually(
        async () => (await s.get(`/flows/instances?contactId=${id}`)).items as Record<string, unknown>[],
        (l) => l[0]?.state != null,
      );
      expect(inst).toMatchObject({ flowId: 'welcome', status: 'running', state: 'greeted' });
      await pause(300); // anything still on its way would arrive now
      expect(s.inbox(cara, mark)).toHaveLength(1);
    });

    test('joining the conversation is greeted once too', async () => {
      const s = server();
      const joe = s.user('joe', 'Joe');
      const mark = s.mark;
      const r = await joe.join();
      expect(r.status).toBe(200);
      expect(s.inbox(joe, mark)).toEqual([expect.stringMatching(/^Welcome, Joe, and thanks for joining us/)]);
      const id = (await s.contact('Joe'))._id;
      await eventually(
        async () => (await s.get(`/flows/instances?contactId=${id}`)).items as Record<string, unknown>[],
        (l) => l[0]?.state === 'greeted',
      );
      expect(s.inbox(joe, mark)).toHaveLength(1);
    });

    test('the words the help lists: help, offers; anything else gets the help', async () => {
      const s = server();
      const cara = s.user('cara', 'Cara');
      expect((await s.run(cara, 'help')).texts).toEqual([expect.stringMatching(CUSTOMER_HELP)]);
      expect((await s.run(cara, 'offers')).texts).toEqual([
        'New-member offer: 15% off your first order with code HELLO15.',
      ]);
      expect((await s.say(cara, 'what is this?')).texts).toEqual([
        expect.stringMatching(/^I didn't catch that. Here is what I can do:/),
      ]);
    });

    test('a VIP customer gets the VIP greeting and offer (personalised by segment)', async () => {
      const s = server();
      const vic = s.user('vic', 'Vic');
      await s.say(vic, 'hi');
      const id = (await s.contact('Vic'))._id;
      const mark = s.mark;
      expect(
        (await s.api('PATCH', `/contacts/${id}`, { externalId: 'crm-vic', email: 'vic@example.com' })).status,
      ).toBe(200);
      expect((await s.api('POST', `/contacts/${id}/tags`, { add: ['VIP'] })).status).toBe(200);
      // The built-in VIP onboarding flow welcomes them as a VIP.
      await s.received(vic, mark, /^Welcome to our VIP customers, Vic!/);
      const r = await s.say(vic, 'hello');
      expect(r.texts).toEqual([
        expect.stringMatching(/^Welcome back, Vic! As one of our VIP customers[^]*VIP offer: free express/),
      ]);
      expect((await s.say(vic, 'offers')).texts).toEqual([expect.stringMatching(/^VIP offer: free express/)]);
      // A customer message with an intent keyword: the conversation conditions count it.
      expect((await s.say(vic, 'where is my invoice?')).status).toBe(200);
    });

    test('"stop" opts out and "start" opts back in, each confirmed', async () => {
      const s = server();
      const cara = s.user('cara', 'Cara');
      expect((await s.run(cara, 'stop')).texts).toEqual([expect.stringMatching(/^You're unsubscribed/)]);
      expect((await s.contact('Cara')).optedOut).toBe(true);
      expect((await s.run(cara, 'start')).texts).toEqual([expect.stringMatching(/^You're subscribed again/)]);
      expect((await s.contact('Cara')).optedOut).toBe(false);
    });

    test("an admin's or an agent's command from a customer is refused and changes nothing", async () => {
      const s = server();
      const cara = s.user('cara', 'Cara');
      const before = await s.get('/segments');
      expect((await s.say(cara, '/segment delete "VIP Customers"')).texts).toEqual([
        'Sorry, that command is only for admins. Type "help" to see what I can do.',
      ]);
      expect((await s.say(cara, '/accept')).texts).toEqual([
        'Sorry, that command is only for agents. Type "help" to see what I can do.',
      ]);
      expect((await s.say(cara, '/help')).texts).toEqual([expect.stringMatching(CUSTOMER_HELP)]);
      expect(await s.get('/segments')).toEqual(before);
    });
  });
}
