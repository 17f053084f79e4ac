// One campaign: what it sends to whom and when, start / pause / resume / cancel (each offered
// only where the campaign's status allows it), its delivery counts, and its deliveries a page at
// a time, filtered by status (`unknown` included: a crash between sending and recording). While
// it is scheduled or running, the counts refresh every few seconds.
import { api } from './api.js';
import { errorLine, fmtInt, fmtTime, h, show } from './dom.js';
import { audienceText, scheduleText, statusBadge } from './campaign-text.js';

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'unknown'];
/** Which actions each status allows (src/domain/campaigns/lifecycle.ts). */
const ACTIONS = {
  start: ['draft'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};
const REFRESH_MS = 2000;
/** Contact id → their name (a promise), for the deliveries table. */
const contactNames = new Map();

export async function renderCampaign(main, id) {
  const [c, segments] = await Promise.all([api('GET', `/campaigns/${id}`), api('GET', '/segments')]);
  const names = new Map(segments.items.map((s) => [s._id, s.name]));
  const summary = h('div', { id: 'camp-summary' });
  const counts = h('div', { id: 'camp-counts' });
  const actions = h('div', { class: 'row', id: 'camp-actions' });
  const status = h('div');
  const deliveries = h('div', { id: 'deliveries' });
  const filter = h(
    'select',
    { id: 'deliveries-status', 'aria-label': 'status' },
    h('option', { value: '' }, 'every status'),
    STATUSES.map((s) => h('option', { value: s }, s)),
  );
  filter.addEventListener('change', () => pageOfDeliveries(deliveries, c._id, filter.value, []));

  const paint = (v) => {
    show(
      summary,
      h('p', { id: 'camp-status' }, statusBadge(v.status)),
      h(
        'table',
        { class: 'facts' },
        h(
          'tbody',
          {},
          fact('Audience', audienceText(v.audience, names)),
          fact('When', scheduleText(v.schedule)),
          v.status === 'scheduled' && v.nextRunAt ? fact('Next run', fmtTime(v.nextRunAt)) : null,
          fact('Send rate', `${fmtInt(v.ratePerSecond)} messages per second at most`),
          fact('Quiet hours', v.quietHours ? `${v.quietHours.start}–${v.quietHours.end} UTC` : 'none'),
          fact('Created', `${fmtTime(v.createdAt)} by ${v.createdBy}`),
        ),
      ),
      h('h3', {}, 'Message'),
      h('pre', { class: 'template', id: 'camp-template-source' }, v.template.source),
    );
    show(
      counts,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, ''),
            ['total', ...STATUSES, 'replied'].map((s) => h('th', { class: 'num' }, s)),
          ),
        ),
        h(
          'tbody',
          {},
          row('All runs', v.counts),
          v.currentRun ? row(`Current run (${v.currentRun.status ?? '–'})`, v.currentRun.counts) : null,
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        'Reply rate: ',
        v.replyRate === null ? '–' : `${Math.round(v.replyRate * 1000) / 10}%`,
        ' (replies within 24 hours of a message)',
      ),
    );
    show(
      actions,
      Object.keys(ACTIONS)
        .filter((a) => ACTIONS[a].includes(v.status))
        .map((a) =>
          h(
            'button',
            {
              type: 'button',
              id: `camp-${a}`,
              class: a === 'cancel' ? 'secondary danger' : undefined,
              onclick: () => act(a),
            },
            a[0].toUpperCase() + a.slice(1),
          ),
        ),
    );
  };

  const act = async (action) => {
    if (action === 'cancel' && !confirm(`Cancel "${c.name}"? Messages not yet sent will not be sent.`))
      return;
    try {
      paint(await api('POST', `/campaigns/${c._id}/${action}`));
      show(status);
      void pageOfDeliveries(deliveries, c._id, filter.value, []);
      follow();
    } catch (err) {
      show(status, errorLine(err));
    }
  };

  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')),
      h('h2', { id: 'camp-title' }, c.name),
      summary,
      actions,
      status,
    ),
    h('section', { class: 'card' }, h('h2', {}, 'Deliveries'), counts),
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'row' },
        h('h2', {}, 'Recipients'),
        h('label', { for: 'deliveries-status' }, 'Show'),
        filter,
      ),
      deliveries,
    ),
  );
  // Follow a live campaign until it settles or the page is left; an action starts it again.
  let timer;
  function follow() {
    clearInterval(timer);
    timer = setInterval(async () => {
      if (!document.body.contains(summary)) return clearInterval(timer);
      try {
        const v = await api('GET', `/campaigns/${c._id}`);
        if (!document.body.contains(summary)) return clearInterval(timer);
        paint(v);
        if (!['scheduled', 'running'].includes(v.status)) clearInterval(timer);
        void pageOfDeliveries(deliveries, c._id, filter.value, deliveries.cursors ?? []);
      } catch {
        clearInterval(timer);
      }
    }, REFRESH_MS);
  }

  paint(c);
  await pageOfDeliveries(deliveries, c._id, '', []);

  follow();
}
const fact = (k, v) => h('tr', {}, h('th', {}, k), h('td', {}, v));

function row(label, counts) {
  return h(
    'tr',
    {},
    h('th', {}, label),
    ['total', ...STATUSES, 'replied'].map((s) =>
      h('td', { class: `num count-${s}` }, fmtInt(counts?.[s] ?? 0)),
    ),
  );
}

async function pageOfDeliveries(el, id, status, cursors) {
  const cursor = cursors.at(-1);
  const q = new URLSearchParams({
    limit: '20',
    ...(status ? { status } : {}),
    ...(cursor ? { cursor } : {}),
  });
  let page;
  try {
    page = await api('GET', `/campaigns/${id}/deliveries?${q}`);
  } catch (err) {
    return show(el, errorLine(err));
  }
  el.cursors = cursors;
  // Deliveries carry contact ids: show who they are (one small read per contact, cached).
  await Promise.all(
    page.items.map(async (d) => {
      if (!contactNames.has(d.contactId))
        contactNames.set(
          d.contactId,
          api('GET', `/contacts/${encodeURIComponent(d.contactId)}`).then(
            (c) => c.name || c.email || '',
            () => '',
          ),
        );
      d.who = await contactNames.get(d.contactId);
    }),
  );
  const prev = h(
    'button',
    { type: 'button', class: 'secondary', disabled: cursors.length === 0 },
    '← Previous',
  );
  const next = h('button', { type: 'button', class: 'secondary', disabled: !page.nextCursor }, 'Next →');
  prev.addEventListener('click', () => pageOfDeliveries(el, id, status, cursors.slice(0, -1)));
  next.addEventListener('click', () => pageOfDeliveries(el, id, status, [...cursors, page.nextCursor]));
  show(
    el,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Contact', 'Status', 'Why', 'Sent', 'Replied', 'Updated'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        page.items.length
          ? page.items.map((d) =>
              h(
                'tr',
                { 'data-status': d.status },
                h('td', {}, d.who || '–', ' ', h('code', { class: 'muted' }, d.contactId)),
                h('td', {}, h('span', { class: `badge delivery-${d.status}` }, d.status)),
                h('td', { class: 'muted' }, d.reason ?? ''),
                h('td', {}, fmtTime(d.sentAt)),
                h('td', {}, fmtTime(d.repliedAt)),
                h('td', { class: 'muted' }, fmtTime(d.updatedAt)),
              ),
            )
          : h(
              'tr',
              {},
              h(
                'td',
                { colspan: 6, class: 'muted' },
                status ? `No ${status} deliveries.` : 'No deliveries yet.',
              ),
            ),
      ),
    ),
    h('div', { class: 'row' }, prev, next, h('span', { class: 'muted' }, `page ${cursors.length + 1}`)),
  );
}
