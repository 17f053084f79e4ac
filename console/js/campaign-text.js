// Campaign facts in words, shared by the campaigns list and a campaign's page.
import { fmtTime, h } from './dom.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "now", "once at 7 Dec 2026, 14:05 UTC", "every day at 10:00 UTC", "every Monday at 10:00 UTC". */
export function scheduleText(s) {
  if (!s || s.kind === 'now') return 'now, once started';
  if (s.kind === 'at') return `once, at ${fmtTime(s.at)}`;
  if (s.kind === 'daily') return `every day at ${s.time} UTC`;
  return `every ${WEEKDAYS[s.weekday] ?? '?'} at ${s.time} UTC`;
}

/** "VIP Customers minus Opted-out list", by segment names. */
export function audienceText(a, names) {
  const name = (id) => names.get(id) ?? `(deleted ${id})`;
  return a.excludeSegmentId ? `${name(a.segmentId)} minus ${name(a.excludeSegmentId)}` : name(a.segmentId);
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status);
}
