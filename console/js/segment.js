// One segment: its definition, members a page at a time, a rule edit previewed (exact count,
// +enter / −exit) before it is saved, and "why" for one contact (explain.js).
import { api, imageUrl } from './api.js';
import { errorLine, fmtInt, fmtTime, h, show } from './dom.js';
import { explainCard } from './explain.js';

export async function renderSegment(main, id) {
  const s = await api('GET', `/segments/${id}`);
  const members = h('div', { id: 'members' });
  const explain = explainCard(s);
  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('h2', { id: 'segment-name' }, s.name),
      h(
        'p',
        {},
        h('span', { class: 'badge' }, s.type),
        ' ',
        h('strong', { id: 'segment-size' }, fmtInt(s.memberCount)),
        ' members · priority ',
        String(s.priority),
        s.routing ? ' · VIP routing' : '',
        ' · version ',
        String(s.version),
        ' · updated ',
        fmtTime(s.updatedAt),
      ),
      s.ruleText ? h('p', {}, h('code', { id: 'segment-rule' }, s.ruleText)) : null,
      s.description ? h('p', { class: 'muted' }, s.description) : null,
      chartSlot(s._id),
    ),
    s.type === 'dynamic' ? editCard(s) : null,
    h('section', { class: 'card' }, h('h2', {}, 'Members'), members),
    explain.card,
  );
  await pageOfMembers(members, s, [], explain.use);
}

/** The 90-day chart, when the reports API exists (it answers 404 until then: nothing is shown). */
function chartSlot(id) {
  const slot = h('div', { class: 'chart' });
  imageUrl(`/reports/segments/${id}/chart.svg?days=90`).then(
    (url) =>
      show(
        slot,
        h('h3', {}, 'Size, last 90 days'),
        h('img', { src: url, alt: 'segment size over 90 days', id: 'segment-chart' }),
      ),
    () => undefined,
  );
  return slot;
}

async function pageOfMembers(el, s, cursors, explainFor) {
  const cursor = cursors.at(-1);
  const q = new URLSearchParams({ limit: '20', ...(cursor ? { cursor } : {}) });
  const page = await api('GET', `/segments/${s._id}/members?${q}`);
  const rows = page.items.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, c.name || '–'),
      h('td', {}, c.email ?? ''),
      h('td', {}, h('code', {}, c._id)),
      h(
        'td',
        {},
        h('button', { type: 'button', class: 'secondary', onclick: () => explainFor(c._id) }, 'Why?'),
      ),
    ),
  );
  const prev = h(
    'button',
    { type: 'button', class: 'secondary', disabled: cursors.length === 0 },
    '← Previous',
  );
  const next = h('button', { type: 'button', class: 'secondary', disabled: !page.nextCursor }, 'Next →');
  prev.addEventListener('click', () => pageOfMembers(el, s, cursors.slice(0, -1), explainFor));
  next.addEventListener('click', () => pageOfMembers(el, s, [...cursors, page.nextCursor], explainFor));
  show(
    el,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Email'), h('th', {}, 'Id'), h('th', {}))),
      h(
        'tbody',
        {},
        rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No members.')),
      ),
    ),
    h('div', { class: 'row' }, prev, next, h('span', { class: 'muted' }, `page ${cursors.length + 1}`)),
  );
}

function editCard(s) {
  const rule = h('textarea', { id: 'edit-rule', value: s.ruleText });
  const result = h('div', { class: 'preview-result', id: 'edit-preview' });
  const save = h('button', { type: 'button', id: 'edit-save', disabled: true }, 'Save rule');
  let previewed = null;
  rule.addEventListener('input', () => (save.disabled = rule.value !== previewed));
  const preview = async () => {
    try {
      const p = await api('POST', '/segments/preview', { rule: rule.value, segmentId: s._id });
      previewed = rule.value;
      save.disabled = false;
      show(
        result,
        h(
          'p',
          {},
          'Would have ',
          h('strong', {}, fmtInt(p.count)),
          ' members: ',
          h('span', { class: 'enter' }, `+${fmtInt(p.impact?.enter)} enter`),
          ', ',
          h('span', { class: 'exit' }, `−${fmtInt(p.impact?.exit)} exit`),
          '.',
        ),
      );
    } catch (err) {
      save.disabled = true;
      show(result, errorLine(err));
    }
  };
  save.addEventListener('click', async () => {
    try {
      await api('PATCH', `/segments/${s._id}`, { rule: rule.value });
      location.reload();
    } catch (err) {
      show(result, errorLine(err));
    }
  });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Edit the rule'),
    rule,
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'edit-preview-button', onclick: preview },
        'Preview change',
      ),
      save,
      h('span', { class: 'muted' }, 'Nothing changes until you save; saving rebuilds the membership.'),
    ),
    result,
  );
}
