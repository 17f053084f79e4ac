// The segments page: every segment with its rule, size, size history (sparkline) and freshness,
// and a form to create one with the rule builder, its exact count and a sample previewed as the
// rule changes.
import { api, optionalApi } from './api.js';
import { errorLine, fmtInt, freshnessBadge, h, show, sparkline } from './dom.js';
import { loadRuleContext, ruleEditor } from './rule-builder.js';

export async function renderSegments(main) {
  const [list, reports, ctx] = await Promise.all([
    api('GET', '/segments'),
    optionalApi('/reports/segments').catch(() => null),
    loadRuleContext(),
  ]);
  const byId = new Map((reports?.segments ?? []).map((r) => [r.id, r]));
  const rows = list.items.map((s) => {
    const r = byId.get(s._id);
    return h(
      'tr',
      { 'data-segment': s.name },
      h('td', {}, h('a', { href: `#/segments/${s._id}` }, s.name)),
      h('td', {}, s.type),
      h('td', { class: 'rule' }, s.ruleText ?? h('span', { class: 'muted' }, 'static list')),
      h('td', { class: 'num' }, fmtInt(s.memberCount)),
      h('td', {}, r ? sparkline(r.history) : h('span', { class: 'muted' }, '–')),
      h('td', {}, r ? freshnessBadge(r.freshness) : h('span', { class: 'muted' }, '–')),
    );
  });
  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Segments'),
      reports
        ? null
        : h(
            'p',
            { class: 'notice' },
            'Size history and freshness need the reports API, which this server does not have yet.',
          ),
      h(
        'table',
        { id: 'segments-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Name', 'Type', 'Rule', 'Size', 'History', 'Freshness'].map((t, i) =>
              h('th', { class: i === 3 ? 'num' : undefined }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No segments yet.')),
        ),
      ),
    ),
    createForm(ctx),
  );
}

function createForm(ctx) {
  const name = h('input', {
    type: 'text',
    id: 'new-name',
    maxlength: 100,
    placeholder: 'e.g. New this week',
  });
  const create = h('button', { type: 'button', id: 'new-create', disabled: true }, 'Save segment');
  const status = h('div');
  let previewed = null;
  const ready = () => (create.disabled = !previewed || !name.value.trim());
  name.addEventListener('input', ready);
  const editor = ruleEditor({
    ctx,
    rule: null,
    id: 'new',
    onChange: (text) => ((previewed = text), ready()),
    preview: async (text) => {
      const p = await api('POST', '/segments/preview', { rule: text });
      return [
        h('p', {}, h('strong', { id: 'new-count' }, fmtInt(p.count)), ' contacts match now.'),
        h(
          'p',
          { class: 'muted', id: 'new-sample' },
          p.sample.length
            ? [
                'For example: ',
                p.sample
                  .slice(0, 5)
                  .map((c) => c.name || c.email || c._id)
                  .join(', '),
              ]
            : 'Nobody matches yet.',
        ),
      ];
    },
  });
  create.addEventListener('click', async () => {
    try {
      const s = await api('POST', '/segments', { name: name.value.trim(), rule: previewed });
      location.hash = `#/segments/${s._id}`;
    } catch (err) {
      show(status, errorLine(err));
    }
  });
  return h(
    'section',
    { class: 'card', id: 'new-segment' },
    h('h2', {}, 'New segment'),
    h('label', { for: 'new-name' }, 'Name'),
    name,
    h('label', {}, 'Who is in it'),
    editor.el,
    h(
      'div',
      { class: 'row' },
      create,
      h('span', { class: 'muted' }, 'The count updates as you edit; saving builds the membership.'),
    ),
    status,
  );
}
