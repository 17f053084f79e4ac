/**
 * Vega-Lite specifications of the report charts, pure. Data is embedded as values (names and
 * numbers are data, never expressions), so the same spec renders on the server (SVG) or in a
 * browser. Every point and bar carries an ARIA label with its values, which screen readers read
 * and tests check.
 */
import type { CompareMetric, CompareRow, DayPoint } from './types';

/** A Vega-Lite top-level spec (kept structural: vega-lite's own types are ESM-only). */
export type ChartSpec = Record<string, unknown>;

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 640,
  height: 240,
  background: 'white',
  config: { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 } },
};

/** Size per day as a line with points, entries and exits per day as bars below it. */
export function historyChart(name: string, history: readonly DayPoint[]): ChartSpec {
  const flows = history.flatMap((p) => [
    { day: p.day, kind: 'entered', count: p.entered },
    { day: p.day, kind: 'exited', count: -p.exited },
  ]);
  const x = { field: 'day', type: 'temporal', title: null };
  return {
    ...BASE,
    title: { text: `${name}: members per day`, subtitle: `last ${history.length} days (UTC)` },
    vconcat: [
      {
        width: BASE.width,
        height: BASE.height,
        data: { values: history.map((p) => ({ day: p.day, size: p.size })) },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: { x, y: { field: 'size', type: 'quantitative', title: 'members' } },
      },
      {
        width: BASE.width,
        height: 80,
        data: { values: flows },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative', title: 'in / out' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['entered', 'exited'], range: ['#2e7d32', '#c62828'] },
            title: null,
          },
        },
      },
    ],
  };
}

export const METRIC_TITLES: Record<CompareMetric, string> = {
  members: 'members',
  avgLifetimeValue: 'average lifetime value',
  avgLeadScore: 'average lead score',
  conversationsPerMember: 'conversations per member',
  handoffs: 'handoffs',
  optedOutShare: 'share opted out',
  deliveryRate: 'campaign delivery rate',
  replyRate: 'campaign reply rate',
};

/** One bar per segment for `metric` (segments without a value are shown at 0 and say "n/a"). */
export function compareChart(rows: readonly CompareRow[], metric: CompareMetric): ChartSpec {
  const values = rows.map((r) => ({ segment: r.name, value: r[metric] ?? 0, shown: r[metric] ?? 'n/a' }));
  return {
    ...BASE,
    title: { text: `Segments compared: ${METRIC_TITLES[metric]}` },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'segment', type: 'nominal', title: null, sort: null },
      x: { field: 'value', type: 'quantitative', title: METRIC_TITLES[metric] },
      tooltip: [
        { field: 'segment', type: 'nominal' },
        { field: 'shown', type: 'nominal', title: METRIC_TITLES[metric] },
      ],
    },
    height: { step: 28 },
  };
}
