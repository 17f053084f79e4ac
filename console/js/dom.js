// Building DOM nodes: text always goes in as text (never as HTML), so user values stay inert.

/** h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function show(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');

// Dates are written one way everywhere, `7 Dec 2026`, and times in UTC with the zone said
// (`7 Dec 2026, 14:05 UTC`): schedules and quiet hours are UTC too, and no reader has to guess
// whether 07/12 is July or December.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
const asDate = (v) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(v);

/** `7 Dec 2026` (the UTC day) for an instant or a `YYYY-MM-DD` day; `–` when there is none. */
export function fmtDate(v) {
  if (v === null || v === undefined || v === '') return '–';
  const d = asDate(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `7 Dec 2026, 14:05 UTC`; `–` when there is none. */
export function fmtTime(v) {
  if (v === null || v === undefined || v === '') return '–';
  const d = asDate(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${fmtDate(d)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** An error from the API as one line: its message and code. */
export function errorText(err) {
  return err && err.code ? `${err.message} (${err.code})` : String(err?.message ?? err);
}

export function errorLine(err) {
  return h('p', { class: 'error', role: 'alert' }, errorText(err));
}

/** A small inline SVG line of the sizes over time. */
export function sparkline(history) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 120 28');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  const sizes = (history ?? []).map((p) => p.size);
  svg.setAttribute('aria-label', sizes.length ? `size history: ${sizes.join(', ')}` : 'no history yet');
  if (sizes.length > 0) {
    const max = Math.max(...sizes, 1);
    const min = Math.min(...sizes, 0);
    const step = sizes.length > 1 ? 118 / (sizes.length - 1) : 0;
    const points = sizes.map(
      (s, i) => `${(1 + i * step).toFixed(1)},${(26 - ((s - min) / (max - min || 1)) * 24).toFixed(1)}`,
    );
    if (points.length === 1) points.push(`119,${points[0].split(',')[1]}`);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
  }
  return svg;
}

export function freshnessBadge(f) {
  if (!f) return h('span', { class: 'badge' }, 'unknown');
  const title = f.exactAsOf ? `exact as of ${fmtTime(f.exactAsOf)}` : undefined;
  return h('span', { class: `badge ${String(f.state ?? '')}`, title }, String(f.state ?? 'unknown'));
}
