// The flows page: each workflow with its bindings (which segment transition starts it, the
// re-entry policy, the dwell, whether leaving stops it), enabling and disabling them, binding a
// flow to a segment, and the instances of a flow or of a contact with their state, next wake-up
// and history, with Cancel for one still under way.
import { api } from './api.js';
import { errorLine, fmtTime, h, show } from './dom.js';

const LIVE = ['pending', 'running', 'dwelling'];

/** "7d", "10m", "90s": the shortest exact unit (flows/policy.ts formatMs). */
export function fmtMs(ms) {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ])
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const reentryText = (r) =>
  r.kind === 'once'
    ? 'once per contact'
    : r.kind === 'every'
      ? 'every time'
      : `at most once per ${fmtMs(r.ms)}`;

/** `{}`: the catalogue; `{instance}`: one instance's history; `{contact}`: a contact's instances. */
export async function renderFlows(main, focus) {
  const [catalogue, segments] = await Promise.all([api('GET', '/flows'), api('GET', '/segments')]);
  const instances = h('div', { id: 'instances' });
  const detail = h('div', { id: 'instance-detail' });
  const byFlow = h(
    'select',
    { id: 'inst-flow', 'aria-label': 'flow' },
    h('option', { value: '' }, 'choose a flow…'),
    catalogue.items.map((f) => h('option', { value: f.id }, f.name)),
  );
  const byContact = h('input', {
    type: 'text',
    id: 'inst-contact',
    placeholder: 'contact id or email',
    value: focus.contact ?? '',
  });
  const names = new Map(catalogue.items.map((f) => [f.id, f.name]));
  const list = (by) => listInstances(instances, detail, by, names);
  byFlow.addEventListener('change', () => byFlow.value && list({ flowId: byFlow.value }));
  const findContact = async () => {
    const v = byContact.value.trim();
    if (!v) return;
    // An email finds the contact's id first.
    let id = v;
    if (v.includes('@')) {
      const found = await api('GET', `/contacts?email=${encodeURIComponent(v)}`).catch(() => ({ items: [] }));
      if (!found.items[0])
        return show(instances, h('p', { class: 'muted' }, `No contact with the email ${v}.`));
      id = found.items[0]._id;
    }
    await list({ contactId: id });
  };
  byContact.addEventListener('keydown', (e) => e.key === 'Enter' && findContact());

  show(
    main,
    h(
      'section',
      { class: 'card', id: 'flows' },
      h('h2', {}, 'Flows'),
      catalogue.items.map((f) => flowCard(f, main, focus)),
    ),
    bindForm(catalogue.items, segments.items, main, focus),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Instances'),
      h(
        'div',
        { class: 'row' },
        h('label', { for: 'inst-flow' }, 'Of a flow'),
        byFlow,
        h('label', { for: 'inst-contact' }, 'or of a contact'),
        byContact,
        h('button', { type: 'button', class: 'secondary', id: 'inst-find', onclick: findContact }, 'Show'),
      ),
      instances,
      detail,
    ),
  );
  if (focus.contact) await list({ contactId: focus.contact });
  if (focus.instance) await showInstance(detail, focus.instance, () => undefined, names);
}

function flowCard(f, main, focus) {
  const rows = f.bindings.map((b) => {
    const toggle = h(
      'button',
      { type: 'button', class: 'secondary', 'data-binding': b._id },
      b.enabled ? 'Disable' : 'Enable',
    );
    toggle.addEventListener('click', async () => {
      try {
        await api('PATCH', `/flows/bindings/${b._id}`, { enabled: !b.enabled });
        await renderFlows(main, focus);
      } catch (err) {
        toggle.replaceWith(errorLine(err));
      }
    });
    return h(
      'tr',
      { 'data-segment': b.segmentName, class: b.enabled ? undefined : 'disabled' },
      h('td', {}, b.segmentName),
      h('td', {}, b.on === 'entered' ? 'enters' : 'leaves'),
      h('td', {}, reentryText(b.reentry)),
      h('td', {}, b.dwellMs ? `still in after ${fmtMs(b.dwellMs)}` : 'at once'),
      h(
        'td',
        {},
        b.stopOnExit ? `stops when they ${b.on === 'entered' ? 'leave' : 're-enter'}` : 'runs to the end',
      ),
      h(
        'td',
        {},
        h('span', { class: `badge ${b.enabled ? 'fresh' : ''}` }, b.enabled ? 'enabled' : 'disabled'),
        b.builtIn ? h('span', { class: 'badge' }, 'built-in') : null,
      ),
      h('td', {}, toggle),
    );
  });
  return h(
    'div',
    { class: 'flow', 'data-flow': f.id },
    h('h3', {}, f.name, ' ', h('span', { class: 'muted' }, `(${f.id})`)),
    h('p', { class: 'muted' }, f.description, ' · messages: ', f.templates.join(', ')),
    rows.length
      ? h(
          'table',
          { class: 'bindings' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Segment', 'Starts when a contact', 'Re-entry', 'Dwell', 'Leaving', 'State', ''].map((t) =>
                h('th', {}, t),
              ),
            ),
          ),
          h('tbody', {}, rows),
        )
      : h('p', { class: 'muted' }, 'Not bound: it starts for nobody.'),
  );
}

function bindForm(flows, segments, main, focus) {
  const flow = h(
    'select',
    { id: 'bind-flow' },
    flows.map((f) => h('option', { value: f.id }, f.name)),
  );
  const segment = h(
    'select',
    { id: 'bind-segment' },
    segments.length ? null : h('option', { value: '' }, 'no segments yet'),
    segments.map((s) => h('option', { value: s._id }, s.name)),
  );
  const on = h(
    'select',
    { id: 'bind-on' },
    h('option', { value: 'entered' }, 'enters'),
    h('option', { value: 'exited' }, 'leaves'),
  );
  const reentry = h(
    'select',
    { id: 'bind-reentry' },
    h('option', { value: 'once' }, 'once per contact'),
    h('option', { value: 'every' }, 'every time'),
    h('option', { value: 'cooldown' }, 'again after a cooldown'),
  );
  const cooldown = h('input', {
    type: 'text',
    id: 'bind-cooldown',
    placeholder: '7d',
    hidden: true,
    size: 6,
  });
  reentry.addEventListener('change', () => (cooldown.hidden = reentry.value !== 'cooldown'));
  const dwell = h('input', { type: 'text', id: 'bind-dwell', placeholder: 'e.g. 10m', size: 8 });
  const stop = h('input', { type: 'checkbox', id: 'bind-stop' });
  const status = h('div');
  const create = h('button', { type: 'button', id: 'bind-create' }, 'Bind');
  create.addEventListener('click', async () => {
    const body = {
      flow: flow.value,
      segment: segment.value,
      on: on.value,
      reentry: reentry.value,
      ...(reentry.value === 'cooldown' && cooldown.value.trim() ? { cooldown: cooldown.value.trim() } : {}),
      ...(dwell.value.trim() ? { dwell: dwell.value.trim() } : {}),
      stopOnExit: stop.checked,
    };
    try {
      await api('POST', '/flows/bindings', body);
      await renderFlows(main, focus);
      document.getElementById('flows')?.scrollIntoView();
    } catch (err) {
      show(status, errorLine(err));
    }
  });
  return h(
    'section',
    { class: 'card', id: 'bind' },
    h('h2', {}, 'Bind a flow'),
    h('div', { class: 'row' }, h('span', {}, 'Start'), flow, h('span', {}, 'when a contact'), on, segment),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'bind-reentry' }, 'Re-entry'),
      reentry,
      cooldown,
      h('label', { for: 'bind-dwell' }, 'Dwell'),
      dwell,
      h(
        'span',
        { class: 'muted' },
        'start only if still there after this long (30s, 10m, 2h, 7d); blank: at once',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'label',
        { class: 'check', for: 'bind-stop' },
        stop,
        ' Stop the flow when the opposite transition happens',
      ),
    ),
    h('div', { class: 'row' }, create),
    status,
  );
}

async function listInstances(el, detail, by, names) {
  show(detail);
  let items;
  try {
    ({ items } = await api('GET', `/flows/instances?${new URLSearchParams(by)}`));
  } catch (err) {
    return show(el, errorLine(err));
  }
  const again = () => listInstances(el, detail, by, names);
  show(
    el,
    h(
      'table',
      { id: 'instances-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Flow', 'Contact', 'Status', 'State', 'Next wake-up', 'Started', 'Ended', ''].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        items.length
          ? items.map((i) =>
              h(
                'tr',
                { 'data-instance': i.id, 'data-status': i.status },
                h('td', {}, names.get(i.flowId) ?? i.flowId),
                h(
                  'td',
                  {},
                  h(
                    'a',
                    { href: `#/flows/contacts/${encodeURIComponent(i.contactId)}` },
                    h('code', {}, i.contactId),
                  ),
                ),
                h('td', {}, h('span', { class: `badge instance-${i.status}` }, i.status)),
                h('td', {}, i.state ?? '–'),
                h('td', { class: 'next-wake' }, fmtTime(i.nextWakeAt)),
                h('td', {}, fmtTime(i.startedAt)),
                h('td', {}, fmtTime(i.endedAt)),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: () => showInstance(detail, i.id, again, names),
                    },
                    'History',
                  ),
                ),
              ),
            )
          : h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No instances.')),
      ),
    ),
  );
}

async function showInstance(el, id, refresh, names) {
  let i;
  try {
    i = await api('GET', `/flows/instances/${id}`);
  } catch (err) {
    return show(el, errorLine(err));
  }
  const status = h('div');
  const cancel = LIVE.includes(i.status)
    ? h('button', { type: 'button', class: 'secondary danger', id: 'inst-cancel' }, 'Cancel this instance')
    : null;
  cancel?.addEventListener('click', async () => {
    if (!confirm('Cancel this instance? Its pending messages will not be sent.')) return;
    try {
      await api('POST', `/flows/instances/${id}/cancel`);
      await refresh(); // the list shows the new status (and clears this panel)
      await showInstance(el, id, refresh, names);
    } catch (err) {
      show(status, errorLine(err));
    }
  });
  show(
    el,
    h(
      'div',
      { class: 'instance', id: 'instance', 'data-status': i.status },
      h('h3', {}, `${names.get(i.flowId) ?? i.flowId} for `, h('code', {}, i.contactId)),
      h(
        'p',
        {},
        h('span', { class: `badge instance-${i.status}` }, i.status),
        ` · state ${i.state ?? '–'} · next wake-up ${fmtTime(i.nextWakeAt)} · triggered when the contact `,
        `${i.trigger.kind === 'entered' ? 'entered' : 'left'} the segment, ${fmtTime(i.trigger.at)}`,
      ),
      h(
        'ol',
        { class: 'history' },
        i.history.map((e) =>
          h(
            'li',
            {},
            h('span', { class: 'muted' }, fmtTime(e.at)),
            ' ',
            h('strong', {}, e.kind),
            ' ',
            e.detail,
            e.outcome ? ` (${e.outcome})` : '',
          ),
        ),
      ),
      i.steps.length
        ? h(
            'details',
            {},
            h('summary', {}, `${i.steps.length} step records`),
            h(
              'ul',
              {},
              i.steps.map((s) => h('li', {}, `${s.action}: ${s.status}`, s.error ? ` (${s.error})` : '')),
            ),
          )
        : null,
      h('div', { class: 'row' }, cancel),
      status,
    ),
  );
}
