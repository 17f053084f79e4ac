/**
 * The admin's segment, list, contact and report commands: each run with its reply checked and its
 * effect read back through the REST API, each given bad input that gets its usage and changes
 * nothing; a command's own words (and an agent's relayed words) never count as the speaker's
 * intents; contacts are found by email, external id or id alike.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON bodies: the tests check them. */
import { eventually } from '../../support/flowWait';
import { CUSTOMER_HELP } from './customer';
import { ADMIN_ID, AGENT_ID, type ChatServer } from './harness';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function adminCases(server: () => ChatServer): void {
  describe('admin: segments, lists, contacts, reports', () => {
    const segState = async (s: ChatServer) =>
      ((await s.get('/segments')).items as any[]).map((x) => [x.name, x.type, x.ruleText ?? null]);
    const membersOf = async (s: ChatServer, name: string) => {
      const seg = (await s.segmentByName(name))!;
      const page = await s.get(`/segments/${encodeURIComponent(seg._id)}/members?limit=50`);
      return (page.items as any[]).map((c) => c.name as string).sort();
    };

    test('/help answers each role with the commands it may use', async () => {
      const s = server();
      const admin = await s.run(s.user(ADMIN_ID, 'Ada'), '/help');
      expect(admin.texts).toEqual([
        expect.stringMatching(/^Admin commands:\n\/help\n\/segments\n\/segment show <name>\n[^]*\nExample: /),
      ]);
      const agent = await s.run(s.user(AGENT_ID, 'Amy'), '/help');
      expect(agent.texts).toEqual([expect.stringMatching(/^Agent commands:\n\/queue: [^]*\n\/inbox: /)]);
      const customer = await s.run(s.user('cara', 'Cara'), 'help');
      expect(customer.texts).toEqual([expect.stringMatching(CUSTOMER_HELP)]);
      s.helps.push(admin.texts[0]!, agent.texts[0]!, customer.texts[0]!);
    });

    test('/segments lists every segment with its members, as the API counts them', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const r = await s.run(ada, '/segments');
      const rest = (await s.get('/segments')).items as any[];
      expect(r.texts).toEqual([
        [
          `Segments (${rest.length}):`,
          ...rest.map(
            (x) =>
              `- ${x.name}: ${x.type}, ${plural(Number(x.memberCount), 'member')}, priority ${x.priority}`,
          ),
        ].join('\n'),
      ]);
      await s.usage(ada, '/segments please', /^\/segments takes nothing after it\.\nUsage: \/segments$/, () =>
        segState(s),
      );
    });

    test('/segment create, show, preview; a typo in the rule is answered and creates nothing', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const state = () => segState(s);
      await s.usage(
        ada,
        '/segment create "Big Spenders"',
        /^Write the rule after "where"\.\nUsage: \/segment create /,
        state,
      );
      await s.usage(
        ada,
        '/segment create "Big Spenders" where lifetimeValue >',
        /^I couldn't read that rule: line 1, column \d+/,
        state,
      );
      expect(
        (await s.run(ada, '/segment create "Big Spenders" where lifetimeValue > 1000 OR tag = "VIP"')).texts,
      ).toEqual(['Created "Big Spenders" (dynamic). 1 contact matches now; membership is being updated.']);
      expect(await s.segmentByName('Big Spenders')).toMatchObject({
        type: 'dynamic',
        ruleText: 'lifetimeValue > 1000 OR tag = "VIP"',
      });
      await eventually(
        () => membersOf(s, 'Big Spenders'),
        (m) => m.length === 1,
      );

      expect((await s.run(ada, '/segment show "Big Spenders"')).texts).toEqual([
        'Big Spenders (dynamic, priority 0)\nRule: lifetimeValue > 1000 OR tag = "VIP"\nMembers: 1',
      ]);
      // As a phone keyboard types it: typographic quotes.
      expect((await s.say(ada, '/segment show \u201cBig Spenders\u201d')).texts).toEqual([
        expect.stringMatching(/^Big Spenders \(dynamic, priority 0\)\n/),
      ]);
      await s.usage(ada, '/segment show', /^Which segment\?\nUsage: \/segment show <name>$/, state);

      expect((await s.run(ada, '/segment preview tag = "VIP"')).texts).toEqual([
        '1 contact matches. For example: Vic <vic@example.com>',
      ]);
      await s.usage(
        ada,
        '/segment preview',
        /^Write the rule to preview\.\nUsage: \/segment preview <rule>$/,
        state,
      );
    });

    test("a command's words and an agent's relayed words are not the speaker's intents", async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      // Vic asked about an invoice; Ada typed "invoice" in this command; Amy relayed "your invoice…".
      const r = await s.say(ada, '/segment preview asked about "invoice" at least 1 times in last 7 days');
      expect(r.texts).toEqual(['1 contact matches. For example: Vic <vic@example.com>']);
    });

    test('/segment update asks first: "no" cancels, "yes" applies', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const state = () => segState(s);
      await s.usage(
        ada,
        '/segment update "Big Spenders"',
        /^Write the rule after "where"\.\nUsage: \/segment update /,
        state,
      );
      const ask = [
        'Change "Big Spenders" to: lifetimeValue > 2000',
        '0 contacts would enter and 1 contact would exit (0 would match in all).',
        'Type "yes" to apply it; anything else cancels.',
      ].join('\n');
      expect((await s.run(ada, '/segment update "Big Spenders" where lifetimeValue > 2000')).texts).toEqual([
        ask,
      ]);
      expect((await s.say(ada, 'no')).texts).toEqual(['Cancelled: nothing was changed.']);
      expect((await s.segmentByName('Big Spenders'))?.ruleText).toBe('lifetimeValue > 1000 OR tag = "VIP"');
      expect((await s.run(ada, '/segment update "Big Spenders" where lifetimeValue > 2000')).texts).toEqual([
        ask,
      ]);
      expect((await s.say(ada, 'yes')).texts).toEqual([
        'Updated "Big Spenders". Membership is being recomputed.',
      ]);
      expect((await s.segmentByName('Big Spenders'))?.ruleText).toBe('lifetimeValue > 2000');
      await eventually(
        () => membersOf(s, 'Big Spenders'),
        (m) => m.length === 0,
      );
    });

    test('/segment why finds the contact by external id, email or id', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const vic = await s.contact('Vic');
      const yes =
        /^Vic <vic@example\.com> is in "VIP Customers"; the rule is true now\.\n\[yes\] tag = "VIP"/;
      expect((await s.run(ada, '/segment why crm-vic "VIP Customers"')).texts).toEqual([
        expect.stringMatching(yes),
      ]);
      expect((await s.run(ada, `/segment why ${vic._id} VIP Customers`)).texts).toEqual([
        expect.stringMatching(yes),
      ]);
      expect((await s.run(ada, '/segment why cara@example.com "VIP Customers"')).texts).toEqual([
        expect.stringMatching(/^Cara <cara@example\.com> is not in "VIP Customers"; the rule is false now\./),
      ]);
      expect((await s.say(ada, '/segment why nobody-here "VIP Customers"')).texts).toEqual([
        'Contact nobody-here was not found',
      ]);
      await s.usage(
        ada,
        '/segment why crm-vic',
        /^Name a contact, then a segment\.\nUsage: \/segment why /,
        () => segState(s),
      );
    });

    test('/segment delete asks first, then deletes', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      await s.usage(ada, '/segment delete', /^Which segment\?\nUsage: \/segment delete /, () => segState(s));
      expect((await s.run(ada, '/segment delete "Big Spenders"')).texts).toEqual([
        'Delete "Big Spenders" (dynamic, 0 members)? Type "yes" to delete it; anything else cancels.',
      ]);
      expect((await s.say(ada, 'yes')).texts).toEqual(['Deleted "Big Spenders".']);
      expect(await s.segmentByName('Big Spenders')).toBeUndefined();
    });

    test('/list create, add and remove, by email, external id or id', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      await s.usage(ada, '/list create', /^Give the list a name\.\nUsage: \/list create /, () => segState(s));
      expect((await s.run(ada, '/list create "Beta Testers"')).texts).toEqual([
        'Created the list "Beta Testers". Add contacts with /list add "Beta Testers" <contact email, external id or id>',
      ]);
      expect(await s.segmentByName('Beta Testers')).toMatchObject({ type: 'static' });
      const members = () => membersOf(s, 'Beta Testers');
      expect((await s.run(ada, '/list add "Beta Testers" cara@example.com')).texts).toEqual([
        'Added Cara <cara@example.com> to "Beta Testers".',
      ]);
      expect((await s.run(ada, '/list add "Beta Testers" crm-vic')).texts).toEqual([
        'Added Vic <vic@example.com> to "Beta Testers".',
      ]);
      expect((await s.say(ada, '/list add "Beta Testers" crm-vic')).texts).toEqual([
        'Vic <vic@example.com> is already on "Beta Testers".',
      ]);
      expect(await members()).toEqual(['Cara', 'Vic']);
      await s.usage(
        ada,
        '/list add "Beta Testers"',
        /^Name the list, then one contact .*\nUsage: \/list add /,
        members,
      );
      expect((await s.run(ada, '/list remove "Beta Testers" crm-vic')).texts).toEqual([
        'Removed Vic <vic@example.com> from "Beta Testers".',
      ]);
      expect(await members()).toEqual(['Cara']);
      await s.usage(
        ada,
        '/list remove "Beta Testers"',
        /^Name the list, then one contact .*\nUsage: \/list remove /,
        members,
      );
    });

    test('/contact shows a contact found by external id, email or id', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const vic = await s.contact('Vic');
      const card = new RegExp(
        `^Vic <vic@example\\.com> \\(id ${vic._id}\\)\\nTraits: lifetimeValue 0, [^\\n]*conversationCount 1, [^\\n]*\\nTags: VIP\\n` +
          `Custom: \\{"vipOnboarded":true\\}\\nSegments: [^\\n]*VIP Customers[^\\n]*\\nOpted out: no$`,
      );
      expect((await s.run(ada, '/contact crm-vic')).texts).toEqual([expect.stringMatching(card)]);
      expect((await s.run(ada, `/contact ${vic._id}`)).texts).toEqual([expect.stringMatching(card)]);
      expect((await s.run(ada, '/contact vic@example.com')).texts).toEqual([expect.stringMatching(card)]);
      await s.usage(ada, '/contact', /^Name one contact\.\nUsage: \/contact /, () => s.contact('Vic'));
    });

    test('/report and /report compare: the numbers and a chart', async () => {
      const s = server();
      const ada = s.user(ADMIN_ID, 'Ada');
      const one = await s.run(ada, '/report "VIP Customers"');
      expect(one.texts).toEqual([
        expect.stringMatching(/^VIP Customers: 1 member \(fresh[^]*\nLast \d+ days: /),
      ]);
      expect(one.activities[0]?.attachments).toEqual([
        expect.objectContaining({ contentType: 'image/svg+xml', name: 'VIP Customers history.svg' }),
      ]);
      await s.usage(ada, '/report', /^Which segment\?\nUsage: \/report /, () => segState(s));

      const both = await s.run(ada, '/report compare "VIP Customers" "Beta Testers"');
      expect(both.texts).toEqual([
        expect.stringMatching(/^Segment: members · [^]*\nVIP Customers: 1 · [^]*\nBeta Testers: 1 · /),
      ]);
      expect(both.activities[0]?.attachments).toEqual([
        expect.objectContaining({ contentType: 'image/svg+xml', name: 'segments compared.svg' }),
      ]);
      await s.usage(
        ada,
        '/report compare "VIP Customers"',
        /^Name 2 to 10 segments to compare\.\nUsage: /,
        () => segState(s),
      );
    });
  });
}
