/**
 * The chart renderer: real vega in its worker thread. A chart is well-formed SVG with its data;
 * a spec vega-lite rejects is a ChartRenderError and the worker keeps serving.
 */
import { XMLValidator } from 'fast-xml-parser';
import { compareChart, historyChart } from '../../../src/domain/reports/charts';
import { ChartRenderError, createChartRenderer } from '../../../src/infra/charts/renderer';

const renderer = createChartRenderer();
afterAll(() => renderer.close());

test('history and comparison charts; a bad spec fails alone', async () => {
  const history = [
    { day: '2026-11-01', size: 10, entered: 10, exited: 0 },
    { day: '2026-11-02', size: 12, entered: 3, exited: 1 },
  ];
  const svg = await renderer.svg(historyChart('A <b>&"name"', history));
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).toContain('A &lt;b&gt;&amp;&quot;name&quot;: members per day'); // text is escaped, not markup
  expect(svg).toContain('aria-label="day: Nov 02, 2026; members: 12"');

  await expect(renderer.svg({ mark: 'no-such-mark', data: { values: [] } })).rejects.toBeInstanceOf(
    ChartRenderError,
  );
  const row = {
    id: 'x',
    name: 'X',
    members: 4,
    avgLifetimeValue: null,
    avgLeadScore: null,
    conversationsPerMember: null,
    handoffs: 0,
    optedOutShare: null,
    deliveryRate: null,
    replyRate: null,
    asOf: new Date(),
  };
  const bars = await renderer.svg(compareChart([row], 'members'));
  expect(bars).toContain('aria-label="members: 4; segment: X"');
});
