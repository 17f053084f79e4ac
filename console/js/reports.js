// Reports: sizes, history and freshness of every segment, a 90-day chart of one (SVG rendered
// by the server), and a comparison table of any segments. Until the reports API is on this
// server (it answers 404), the page says so instead of failing.
import { api, imageUrl, optionalApi } from './api.js';
import { errorLine, fmtInt, fmtTime, freshnessBadge, h, show, sparkline } from './dom.js';

export async function renderReports(main) {
  const data = await optionalApi('/reports/segments');
  if (!data) {
    return show(
      main,
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Reports'),
        h(
          'p',
          { class: 'notice', id: 'reports-missing' },
          'Reports are not available on this server yet: /api/v1/reports answered 404.',
        ),
      ),
    );
  }
  const chart = h('div', { class: 'chart', id: 'report-chart' });
  const compare = h('div', { id: 'compare-result' });
  const picked = new Set();
  const rows = data.segments.map((s) =>
    h(
      'tr',
      {},
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          'aria-label': `compare ${s.name}`,
          onchange: (e) => (e.target.checked ? picked.add(s.id) : picked.delete(s.id)),
        }),
      ),
      h(
        'td',
        {},
        h('a', { href: '#/reports', onclick: (e) => (e.preventDefault(), showChart(chart, s)) }, s.name),
      ),
      h('td', { class: 'num' }, fmtInt(s.size)),
      h('td', {}, sparkline(s.history)),
      h(
        'td',
        {},
        freshnessBadge(s.freshness),
        ' ',
        h('span', { class: 'muted' }, s.freshness?.exactAsOf ? fmtTime(s.freshness.exactAsOf) : ''),
      ),
    ),
  );
  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Segments over time'),
      h(
        'table',
        { id: 'reports-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, ''),
            h('th', {}, 'Segment'),
            h('th', { class: 'num' }, 'Size'),
            h('th', {}, 'History'),
            h('th', {}, 'Freshness'),
          ),
        ),
        h('tbody', {}, rows),
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', id: 'compare-button', onclick: () => runCompare(compare, [...picked]) },
          'Compare selected',
        ),
      ),
      compare,
    ),
    h('section', { class: 'card' }, chart),
  );
  if (data.segments[0]) await showChart(chart, data.segments[0]);
}

async function showChart(el, s) {
  show(el, h('h2', {}, `${s.name}: last 90 days`), h('span', { class: 'muted' }, 'Rendering…'));
  try {
    const url = await imageUrl(`/reports/segments/${s.id}/chart.svg?days=90`);
    show(
      el,
      h('h2', {}, `${s.name}: last 90 days`),
      h('img', { src: url, alt: `${s.name} size over 90 days` }),
    );
  } catch (err) {
    show(el, h('h2', {}, s.name), errorLine(err));
  }
}

async function runCompare(el, ids) {
  if (ids.length === 0) return show(el, h('p', { class: 'muted' }, 'Tick the segments to compare.'));
  try {
    const { rows } = await api('GET', `/reports/compare?segments=${ids.map(encodeURIComponent).join(',')}`);
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
      (k) => !['id', 'name', 'asOf'].includes(k),
    );
    const asOf = rows.map((r) => r.asOf).sort()[0];
    const cell = (v) =>
      typeof v === 'number'
        ? fmtInt(Math.round(v * 100) / 100)
        : v === null || v === undefined
          ? '–'
          : String(v);
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
            h('th', {}, 'Segment'),
            cols.map((c) => h('th', { class: 'num' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, r.name),
              cols.map((c) => h('td', { class: 'num' }, cell(r[c]))),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        `Members, averages and opted out as of ${asOf ?? '–'} (precomputed; see the README).`,
      ),
    );
  } catch (err) {
    show(el, errorLine(err));
  }
}
