// One segment: its definition, members a page at a time, a rule edit in the builder previewed
// (exact count, +enter / −exit) before it is saved, and "why" for one contact (explain.js).
import { api, imageUrl } from './api.js';
import { errorLine, fmtInt, fmtTime, h, show } from './dom.js';
import { explainCard } from './explain.js';
import { loadRuleContext, ruleEditor } from './rule-builder.js';

export async function renderSegment(main, id) {
  const [s, ctx] = await Promise.all([api('GET', `/segments/${id}`), loadRuleContext()]);
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
    s.type === 'dynamic' ? editCard(s, ctx) : null,
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

function editCard(s, ctx) {
  const save = h('button', { type: 'button', id: 'edit-save', disabled: true }, 'Save rule');
  const status = h('div');
  let previewed = null;
  const editor = ruleEditor({
    ctx,
    rule: s.rule,
    id: 'edit',
    exclude: s.name,
    onChange: (text) => {
      previewed = text;
      save.disabled = !text || text === s.ruleText;
    },
    preview: async (text) => {
      const p = await api('POST', '/segments/preview', { rule: text, segmentId: s._id });
      return h(
        'p',
        {},
        'Would have ',
        h('strong', {}, fmtInt(p.count)),
        ' members: ',
        h('span', { class: 'enter' }, `+${fmtInt(p.impact?.enter)} enter`),
        ', ',
        h('span', { class: 'exit' }, `−${fmtInt(p.impact?.exit)} exit`),
        '.',
      );
    },
  });
  save.addEventListener('click', async () => {
    try {
      await api('PATCH', `/segments/${s._id}`, { rule: previewed });
      location.reload();
    } catch (err) {
      show(status, errorLine(err));
    }
  });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Edit the rule'),
    editor.el,
    h(
      'div',
      { class: 'row' },
      save,
      h('span', { class: 'muted' }, 'Nothing changes until you save; saving rebuilds the membership.'),
    ),
    status,
  );
}
