/**
 * The agent's side with a customer: asking for a person, messages written while queued reaching
 * the agent on /accept, /queue, relaying both ways, "stop" during the conversation opting the
 * customer out (not relayed), /end, /inbox, and each agent command's bad input answered with its
 * usage and changing nothing.
 */

import { AGENT_ID, type ChatServer } from './harness';

export function handoffCases(server: () => ChatServer): void {
  describe('agent and handoff', () => {
    const handoffOf = async (s: ChatServer, name: string) =>
      ((await s.contact(name)).handoffStatus as string | undefined) ?? 'none';

    test('asking for a person queues the customer and tells the agents', async () => {
      const s = server();
      const amy = s.user(AGENT_ID, 'Amy');
      await s.say(amy, 'hi'); // the bot reaches agents through their stored conversation
      const cara = s.user('cara', 'Cara');
      const mark = s.mark;
      const r = await s.say(cara, 'can I talk to a human please');
      expect(r.activities.some((a) => a.type === 'event' && a.name === 'handoff.initiate')).toBe(true);
      expect(r.texts).toEqual([expect.stringMatching(/You're number 1 in the queue; type end to cancel/)]);
      expect(await handoffOf(s, 'Cara')).toBe('waiting');
      await s.received(amy, mark, /^New request: Cara \(New This Week\), number 1 in the queue/);
    });

    test('what the customer writes while queued is kept, and the agent gets it on /accept', async () => {
      const s = server();
      const [amy, cara] = [s.user(AGENT_ID, 'Amy'), s.user('cara', 'Cara')];
      expect((await s.say(cara, 'my parcel 123 never arrived')).texts).toEqual([
        expect.stringMatching(/pass (it|that) on .*when .* joins/),
      ]);
      // The bot keeps helping with what it knows while they wait.
      expect((await s.say(cara, 'offers')).texts).toEqual([expect.stringMatching(/^New-member offer/)]);
      expect((await s.say(cara, 'it was a blue box')).texts).toHaveLength(1);

      expect((await s.run(amy, '/queue')).texts).toEqual([
        expect.stringMatching(/^1 waiting:\n1\. Cara \(New This Week\), waiting \d+ s\nType \/accept/),
      ]);
      const queued = () => handoffOf(s, 'Cara');
      await s.usage(amy, '/queue now', /^Usage: \/queue \(it takes no arguments\)\.$/, queued);
      await s.usage(amy, '/accept first', /^Usage: \/accept, or \/accept <n>/, queued);
      expect((await s.say(amy, '/accept 3')).texts).toEqual(['There is no number 3: 1 waiting.']);
      expect(await queued()).toBe('waiting');

      const mark = s.mark;
      const accepted = await s.run(amy, '/accept');
      expect(accepted.texts.join('\n')).toMatch(
        /^You're now talking with Cara \(New This Week\), who waited \d+ s\. .*\nWhile waiting, Cara wrote:\n- my parcel 123 never arrived\n- it was a blue box$/s,
      );
      await s.received(cara, mark, /^You're now talking with a member of our team/);
      expect(await handoffOf(s, 'Cara')).toBe('connected');
    });

    test('the conversation is relayed both ways, and the bot stays out of it', async () => {
      const s = server();
      const [amy, cara] = [s.user(AGENT_ID, 'Amy'), s.user('cara', 'Cara')];
      let mark = s.mark;
      expect((await s.say(amy, 'Hello Cara, your invoice is attached')).texts).toEqual([]);
      expect(s.inbox(cara, mark)).toEqual(['Hello Cara, your invoice is attached']);
      mark = s.mark;
      expect((await s.say(cara, 'thanks, and my refund?')).texts).toEqual([]);
      expect(s.inbox(amy, mark)).toEqual(['Cara: thanks, and my refund?']);
    });

    test('"stop" during the conversation opts the customer out, as everywhere; it is not relayed', async () => {
      const s = server();
      const [amy, cara] = [s.user(AGENT_ID, 'Amy'), s.user('cara', 'Cara')];
      const mark = s.mark;
      expect((await s.say(cara, 'stop')).texts).toEqual([expect.stringMatching(/^You're unsubscribed/)]);
      const after = await s.contact('Cara');
      expect(after).toMatchObject({ optedOut: true, handoffStatus: 'connected' });
      await s.received(amy, mark, /^Cara has unsubscribed from our messages/);
      expect(s.inbox(amy, mark)).not.toContain('Cara: stop');
      // The conversation goes on.
      const next = s.mark;
      await s.say(cara, 'start');
      expect((await s.contact('Cara')).optedOut).toBe(false);
      await s.say(cara, 'are you still there?');
      expect(s.inbox(amy, next)).toContain('Cara: are you still there?');
    });

    test('/end ends it for both; /inbox lists left messages', async () => {
      const s = server();
      const [amy, cara] = [s.user(AGENT_ID, 'Amy'), s.user('cara', 'Cara')];
      const connected = () => handoffOf(s, 'Cara');
      await s.usage(amy, '/end now', /^Usage: \/end \(it takes no arguments\)\.$/, connected);
      const mark = s.mark;
      expect((await s.run(amy, '/end')).texts).toEqual(["You've ended the conversation with Cara."]);
      await s.received(cara, mark, /^Our team member has ended the conversation/);
      expect(await handoffOf(s, 'Cara')).toBe('none');
      expect((await s.say(amy, '/end')).texts).toEqual([
        "You're not in a conversation. Type /queue to see who is waiting.",
      ]);
      expect((await s.run(amy, '/inbox')).texts).toEqual([
        'The inbox is empty: no customer has left a message.',
      ]);
      await s.usage(amy, '/inbox all', /^Usage: \/inbox \(it takes no arguments\)\.$/, connected);
    });

    test('a VIP says "agent" and goes first; "end" while queued takes them out', async () => {
      const s = server();
      const [amy, vic] = [s.user(AGENT_ID, 'Amy'), s.user('vic', 'Vic')];
      const mark = s.mark;
      expect((await s.run(vic, 'agent')).texts).toEqual([expect.stringMatching(/^You're first in line/)]);
      await s.received(amy, mark, /^New request: Vic \[VIP\]/);
      expect((await s.say(vic, 'end')).texts).toEqual([expect.stringMatching(/taken you out of the queue/)]);
      await s.received(amy, mark, /^Vic \[VIP\] .*stopped waiting/);
      expect(await handoffOf(s, 'Vic')).toBe('none');
    });
  });
}
