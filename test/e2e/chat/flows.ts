/**
 * The admin's workflow commands in the running app: the catalogue with its bindings, binding a
 * flow to a list (the binding is active through the API, and adding a contact starts it), a
 * contact's instances, cancelling one; bad input gets its usage and changes no binding or instance.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON bodies: the tests check them. */
import { eventually } from '../../support/flowWait';
import { ADMIN_ID, type ChatServer } from './harness';

export function flowCases(server: () => ChatServer): void {
  describe('admin: flows', () => {
    const bindings = async (s: ChatServer) =>
      ((await s.get('/flows/bindings')).items as any[]).map((b) => [
        b.flowId,
        b.segmentName,
        b.on,
        b.enabled,
      ]);
    const instances = async (s: ChatServer, contactId: string) =>
      (await s.get(`/flows/instances?contactId=${contactId}`)).items as any[];

    test('/flows lists every flow with its bindings, as the API does', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const r = await s.run(ada, '/flows');
      const catalogue = (await s.get('/flows')).items as any[];
      expect(catalogue.length).toBe(5);
      const text = r.texts.join('\n');
      expect(text).toMatch(/^Flows:\n/);
      for (const f of catalogue) {
        expect(text).toContain(`- ${f.name} (${f.id}): ${f.description}`);
        for (const b of f.bindings)
          expect(text).toContain(`on ${b.on === 'entered' ? 'enter' : 'exit'} "${b.segmentName}"`);
      }
      expect(text).toContain('    on enter "New This Week", once');
      // Web Chat may put a zero-width space before the slash: still the same command.
      expect((await s.say(ada, '\u200b/flows')).texts).toEqual(r.texts);
      await s.usage(ada, '/flows all', /^\/flows takes nothing after it\.\nUsage: \/flows$/, () =>
        bindings(s),
      );
    });

    test('/flow bind: the binding is active, and a contact added to the list starts the flow', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const state = () => bindings(s);
      await s.usage(
        ada,
        '/flow bind "Retention outreach" "Beta Testers"',
        /^Name the flow and the segment in double quotes, with on enter or on exit\.\nUsage: \/flow bind /,
        state,
      );
      await s.usage(
        ada,
        '/flow bind "Retention outreach" on enter "Beta Testers" sometimes',
        /^I don't know the option "sometimes"\.\nUsage: /,
        state,
      );
      expect(
        (await s.run(ada, '/flow bind "Retention outreach" on enter "Beta Testers" every stop on exit'))
          .texts,
      ).toEqual(['Bound "Retention outreach" to entering "Beta Testers" (every, stops on exit).']);
      expect(
        ((await s.get('/flows/bindings')).items as any[]).find((b) => b.segmentName === 'Beta Testers'),
      ).toMatchObject({
        flowId: 'retention',
        on: 'entered',
        enabled: true,
        stopOnExit: true,
        reentry: { kind: 'every' },
      });
      const joe = await s.contact('Joe');
      expect((await s.say(ada, `/list add "Beta Testers" ${joe._id}`)).texts).toEqual([
        'Added Joe to "Beta Testers".',
      ]);
      const list = await eventually(
        () => instances(s, joe._id),
        (l) => l.some((i) => i.flowId === 'retention' && i.state === 'outreach'),
      );
      expect(list.find((i) => i.flowId === 'retention')).toMatchObject({ status: 'running' });
    });

    test('/flow instances and /flow cancel, the contact named by id, email or external id', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const joe = await s.contact('Joe');
      const listed = await s.run(ada, `/flow instances ${joe._id}`);
      const text = listed.texts.join('\n');
      expect(text).toMatch(/^Flows of Joe:\n/);
      expect(text).toMatch(/- welcome: running at "greeted", next step \d{4}-.*\(started by entered .*; id /);
      const id = /- retention: running at "outreach", next step .*; id (\S+)\)/.exec(text)?.[1];
      expect(id).toBeDefined();
      expect((await s.run(ada, '/flow instances crm-vic')).texts).toEqual([
        expect.stringMatching(/^Flows of Vic:\n- (vip-onboarding: done|welcome: running)/),
      ]);
      expect((await s.run(ada, '/flow instances cara@example.com')).texts).toEqual([
        expect.stringMatching(/^Flows of Cara:\n- welcome: running/),
      ]);
      const state = () => instances(s, joe._id);
      await s.usage(ada, '/flow instances', /^Name one contact .*\nUsage: \/flow instances /, state);
      await s.usage(ada, '/flow cancel', /^Give the instance id .*\nUsage: \/flow cancel /, state);

      expect((await s.run(ada, `/flow cancel ${id!}`)).texts).toEqual([
        `Cancelled retention for contact ${joe._id}.`,
      ]);
      expect((await instances(s, joe._id)).find((i) => i.id === id)).toMatchObject({ status: 'cancelled' });
    });
  });
}
