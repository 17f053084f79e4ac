/**
 * The admin's campaign commands: create a draft by chat and start it (the message reaches the
 * list's member through the channel, the API counts it sent), status, and pause, resume and
 * cancel of a scheduled one; every bad input gets its usage and changes no campaign.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return --
   JSON bodies: the tests check them. */
import { eventually } from '../../support/flowWait';
import { ADMIN_ID, type ChatServer } from './harness';

export function campaignCases(server: () => ChatServer): void {
  describe('admin: campaigns', () => {
    const campaigns = async (s: ChatServer) =>
      ((await s.get('/campaigns')).items as any[]).map((c) => [c.name, c.status]);
    const view = async (s: ChatServer, name: string) => {
      const c = ((await s.get('/campaigns')).items as any[]).find((x) => x.name === name);
      return s.get(`/campaigns/${c._id}`);
    };

    test('/campaign create and start: the list hears it, the API counts it sent; /campaign status', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const state = () => campaigns(s);
      await s.usage(
        ada,
        '/campaign create "Spring"',
        /^Name the campaign, its segment and what to say\.\nUsage: /,
        state,
      );
      expect(
        (
          await s.run(
            ada,
            '/campaign create "Spring" to "Beta Testers" say "Hi {{contact.name}}, spring is here"',
          )
        ).texts,
      ).toEqual([
        'Created the campaign "Spring" to "Beta Testers" (a draft). Send it with /campaign start "Spring".',
      ]);
      expect(await view(s, 'Spring')).toMatchObject({ status: 'draft' });

      await s.usage(ada, '/campaign start', /^Which campaign\?\nUsage: \/campaign start /, state);
      const cara = s.user('cara', 'Cara');
      const mark = s.mark;
      expect((await s.run(ada, '/campaign start "Spring"')).texts).toEqual([
        'Started "Spring": sending begins in a moment. /campaign status "Spring" shows progress.',
      ]);
      await s.received(cara, mark, /^Hi Cara, spring is here$/);
      const done = await eventually(
        () => view(s, 'Spring'),
        (v) => v.status === 'completed',
      );
      expect(done.counts).toMatchObject({ total: 1, sent: 1 });

      expect((await s.run(ada, '/campaign status "Spring"')).texts).toEqual([
        expect.stringMatching(
          /^Spring: completed.*\. 1 recipients: 1 sent, 0 failed, 0 skipped, 0 unknown, 0 to go; /,
        ),
      ]);
      expect((await s.run(ada, '/campaign status')).texts).toEqual([
        expect.stringMatching(/^Campaigns \(1\):\n- Spring: completed/),
      ]);
      await s.usage(
        ada,
        '/campaign status "Spring" "Autumn"',
        /^Name one campaign, or none for all\.\nUsage: /,
        state,
      );
      // A finished campaign cannot be paused: said plainly, nothing changes.
      expect((await s.say(ada, '/campaign pause "Spring"')).texts).toEqual([
        'Campaign "Spring" is completed: it cannot pause',
      ]);
    });

    test('/campaign pause, resume and cancel a scheduled campaign', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const at = new Date(Date.now() + 3_600_000).toISOString();
      const created = await s.api('POST', '/campaigns', {
        name: 'Later',
        audience: { segment: 'Beta Testers' },
        template: { text: 'Later on' },
        schedule: { kind: 'at', at },
      });
      expect(created.status).toBe(201);
      const state = () => campaigns(s);
      expect((await s.run(ada, '/campaign start "Later"')).texts).toEqual([
        expect.stringMatching(/^Started "Later": the first run is due at \d{4}-/),
      ]);
      expect((await view(s, 'Later')).status).toBe('scheduled');

      await s.usage(ada, '/campaign pause', /^Which campaign\?\nUsage: \/campaign pause /, state);
      expect((await s.run(ada, '/campaign pause "Later"')).texts).toEqual([
        'Paused "Later": no more messages until /campaign resume "Later".',
      ]);
      expect((await view(s, 'Later')).status).toBe('paused');

      await s.usage(ada, '/campaign resume', /^Which campaign\?\nUsage: \/campaign resume /, state);
      expect((await s.run(ada, '/campaign resume "Later"')).texts).toEqual(['Resumed "Later" (scheduled).']);
      expect((await view(s, 'Later')).status).toBe('scheduled');

      await s.usage(ada, '/campaign cancel', /^Which campaign\?\nUsage: \/campaign cancel /, state);
      expect((await s.run(ada, '/campaign cancel "Later"')).texts).toEqual([
        'Cancelled "Later": nothing more will be sent.',
      ]);
      expect((await view(s, 'Later')).status).toBe('cancelled');
    });
  });
}
