/** The workflow chat commands, text → command, every form and mistake a row. */
import { FLOW_USAGE, isFlowCommand, parseFlowCommand } from '../../../bot/admin/flowParse';

const DAY = 86_400_000;
test.each([
  ['/flows', { kind: 'flows' }],
  [
    '/flow bind "Welcome sequence" on enter "New This Week"',
    {
      kind: 'flow.bind',
      flow: 'Welcome sequence',
      segment: 'New This Week',
      on: 'entered',
      reentry: { kind: 'once' },
      dwellMs: 0,
      stopOnExit: false,
    },
  ],
  [
    '/flow bind "reengagement" on enter "Quiet" cooldown 7d dwell 10m stop on exit',
    {
      kind: 'flow.bind',
      flow: 'reengagement',
      segment: 'Quiet',
      on: 'entered',
      reentry: { kind: 'cooldown', ms: 7 * DAY },
      dwellMs: 600_000,
      stopOnExit: true,
    },
  ],
  [
    '/FLOW BIND "x" ON EXIT "Y" EVERY',
    {
      kind: 'flow.bind',
      flow: 'x',
      segment: 'Y',
      on: 'exited',
      reentry: { kind: 'every' },
      dwellMs: 0,
      stopOnExit: false,
    },
  ],
  ['/flow instances ann@example.com', { kind: 'flow.instances', contact: 'ann@example.com' }],
  ['/flow cancel abc:1', { kind: 'flow.cancel', instanceId: 'abc:1' }],
])('%s', (text, command) => expect(parseFlowCommand(text)).toEqual({ ok: true, command }));

test.each([
  ['/flows now', /takes nothing/, FLOW_USAGE.flows],
  ['/flow bind welcome on enter "New"', /double quotes/, FLOW_USAGE['flow.bind']],
  ['/flow bind "w" on arrive "New"', /double quotes/, FLOW_USAGE['flow.bind']],
  ['/flow bind "w" on enter "New" cooldown', /needs a duration/, FLOW_USAGE['flow.bind']],
  ['/flow bind "w" on enter "New" dwell forever', /needs a duration/, FLOW_USAGE['flow.bind']],
  ['/flow bind "w" on enter "New" sometimes', /option "sometimes"/, FLOW_USAGE['flow.bind']],
  ['/flow instances', /one contact/, FLOW_USAGE['flow.instances']],
  ['/flow instances a b', /one contact/, FLOW_USAGE['flow.instances']],
  ['/flow cancel', /instance id/, FLOW_USAGE['flow.cancel']],
  ['/flow', /Which flow command/, Object.values(FLOW_USAGE).join('\n')],
  ['/flow start x', /Unknown flow command "start"/, Object.values(FLOW_USAGE).join('\n')],
])('%s → usage', (text, message, usage) => {
  const r = parseFlowCommand(text);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.message).toMatch(message);
    expect(r.usage).toContain(usage);
  }
});

test.each([
  ['/flows', true],
  ['/flow bind', true],
  ['  /flow', true],
  ['/flowers', false],
  ['/segments', false],
  ['flows', false],
])('isFlowCommand(%j) = %s', (text, yes) => expect(isFlowCommand(text)).toBe(yes));
