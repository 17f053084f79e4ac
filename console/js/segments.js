// The segments page: every segment with its rule, size, size history (sparkline) and freshness,
// and a form to create one after previewing its exact count and a sample.
import { api, optionalApi } from './api.js';
import { errorLine, fmtInt, freshnessBadge, h, show, sparkline } from './dom.js';

export async function renderSegments(main) {
  const [list, reports] = await Promise.all([
    api('GET', '/segments'),
    optionalApi('/reports/segments').catch(() => null),
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
    createForm(),
  );
}

function createForm() {
  const name = h('input', { type: 'text', id: 'new-name', maxlength: 100 });
  const rule = h('textarea', { id: 'new-rule', placeholder: 'lifetimeValue > 5000 OR tag = "VIP"' });
  const result = h('div', { class: 'preview-result', id: 'new-preview' });
  const create = h('button', { type: 'button', id: 'new-create', disabled: true }, 'Create segment');
  let previewed = '';
  rule.addEventListener('input', () => (create.disabled = rule.value !== previewed || !previewed));
  const preview = async () => {
    show(result, h('span', { class: 'muted' }, 'Counting…'));
    try {
      const p = await api('POST', '/segments/preview', { rule: rule.value });
      previewed = rule.value;
      create.disabled = false;
      show(
        result,
        h(
          'p',
          {},
          h('strong', { id: 'new-count' }, fmtInt(p.count)),
          ' contacts match ',
          h('code', {}, p.ruleText),
          ' now.',
        ),
        p.sample.length
          ? h(
              'p',
              { class: 'muted' },
              'For example: ',
              p.sample
                .slice(0, 5)
                .map((c) => c.name || c.email || c._id)
                .join(', '),
            )
          : null,
      );
    } catch (err) {
      create.disabled = true;
      show(result, errorLine(err));
    }
  };
  create.addEventListener('click', async () => {
    try {
      const s = await api('POST', '/segments', { name: name.value, rule: rule.value });
      location.hash = `#/segments/${s._id}`;
    } catch (err) {
      show(result, errorLine(err));
    }
  });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'New segment'),
    h('label', { for: 'new-name' }, 'Name'),
    name,
    h('label', { for: 'new-rule' }, 'Rule'),
    rule,
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'new-preview-button', onclick: preview },
        'Preview',
      ),
      create,
      h('span', { class: 'muted' }, 'Preview first: the exact count before anything is saved.'),
    ),
    result,
  );
}
