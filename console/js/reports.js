// Reports: sizes, history and freshness of every segment, a 90-day chart of one (SVG rendered
// by the server), and any segments compared: a table with the metrics in words beside a chart of
// the chosen metric. Until the reports API is on this server (it answers 404), the page says so.
import { api, imageUrl, optionalApi } from './api.js';
import { errorLine, fmtDate, fmtInt, fmtTime, freshnessBadge, h, show, sparkline } from './dom.js';

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
      h(
        'td',
        {},
        sparkline(s.history),
        s.history?.length
          ? h(
              'span',
              { class: 'muted small' },
              `${fmtDate(s.history[0].day)} – ${fmtDate(s.history.at(-1).day)}`,
            )
          : null,
      ),
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

/** The comparison's columns in words, and how each value reads (shares and rates as percentages). */
export const METRICS = [
  ['members', 'Members', 'int'],
  ['avgLifetimeValue', 'Average lifetime value', 'money'],
  ['avgLeadScore', 'Average lead score', 'dec'],
  ['conversationsPerMember', 'Conversations per member', 'dec'],
  ['handoffs', 'Handoffs to an agent', 'int'],
  ['optedOutShare', 'Opted out', 'pct'],
  ['deliveryRate', 'Campaign delivery rate', 'pct'],
  ['replyRate', 'Campaign reply rate', 'pct'],
];

function metricText(v, how) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (how === 'pct') return `${(Math.round(v * 1000) / 10).toLocaleString('en-US')}%`;
  if (how === 'money')
    return v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  if (how === 'dec') return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return fmtInt(v);
}

async function runCompare(el, ids) {
  if (ids.length === 0) return show(el, h('p', { class: 'muted' }, 'Tick the segments to compare.'));
  const list = ids.map(encodeURIComponent).join(',');
  let rows;
  try {
    ({ rows } = await api('GET', `/reports/compare?segments=${list}`));
  } catch (err) {
    return show(el, errorLine(err));
  }
  const asOf = rows.map((r) => r.asOf).sort()[0];
  const chart = h('div', { class: 'chart', id: 'compare-chart' });
  const metric = h(
    'select',
    { id: 'compare-metric', 'aria-label': 'metric' },
    METRICS.map(([k, label]) => h('option', { value: k }, label)),
  );
  const draw = async () => {
    show(chart, h('span', { class: 'muted' }, 'Rendering…'));
    try {
      const url = await imageUrl(`/reports/compare/chart.svg?segments=${list}&metric=${metric.value}`);
      const label = METRICS.find(([k]) => k === metric.value)?.[1] ?? metric.value;
      show(chart, h('img', { src: url, alt: `${label}, segments compared` }));
    } catch (err) {
      show(chart, errorLine(err));
    }
  };
  metric.addEventListener('change', draw);
  show(
    el,
    h(
      'div',
      { class: 'compare' },
      h(
        'div',
        {},
        // One row per metric, one column per segment: narrow enough to sit beside the chart.
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { id: 'compare-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Metric'),
                rows.map((r) => h('th', { class: 'num' }, r.name)),
              ),
            ),
            h(
              'tbody',
              {},
              METRICS.map(([k, label, how]) =>
                h(
                  'tr',
                  { 'data-metric': k },
                  h('th', {}, label),
                  rows.map((r) => h('td', { class: 'num' }, metricText(r[k], how))),
                ),
              ),
            ),
          ),
        ),
        h(
          'p',
          { class: 'muted' },
          `Members, averages and opted out as of ${fmtTime(asOf)} (precomputed: at most 15 minutes old).`,
        ),
      ),
      h('div', {}, h('div', { class: 'row' }, h('label', { for: 'compare-metric' }, 'Chart'), metric), chart),
    ),
  );
  await draw();
}
