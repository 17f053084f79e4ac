// The campaigns page: every campaign with its status and delivery counts, and a form to create
// one: the audience (a segment or list, minus another), the message template with a live preview
// for a sample contact or a real member of the audience, the schedule, the send rate and quiet
// hours. Starting, pausing and the deliveries are on the campaign's own page (campaign.js).
import { api } from './api.js';
import { errorLine, fmtInt, fmtTime, h, show } from './dom.js';
import { audienceText, scheduleText, statusBadge } from './campaign-text.js';

const PREVIEW_MS = 300;
const DEFAULT_TEMPLATE = 'Hi {{contact.name}}! {{campaign.name}}: 10% off this week, just for you.';

export async function renderCampaigns(main) {
  const [list, segments] = await Promise.all([api('GET', '/campaigns'), api('GET', '/segments')]);
  // The list has no counts: each campaign's own view does (a few requests for a console page).
  const views = await Promise.all(list.items.map((c) => api('GET', `/campaigns/${c._id}`)));
  const names = new Map(segments.items.map((s) => [s._id, s.name]));
  const rows = views.map((c) =>
    h(
      'tr',
      { 'data-campaign': c.name },
      h('td', {}, h('a', { href: `#/campaigns/${c._id}` }, c.name)),
      h('td', {}, statusBadge(c.status)),
      h('td', {}, audienceText(c.audience, names)),
      h('td', {}, scheduleText(c.schedule)),
      ['total', 'sent', 'failed', 'skipped', 'unknown'].map((k) =>
        h('td', { class: `num count-${k}` }, fmtInt(c.counts?.[k])),
      ),
      h('td', { class: 'muted' }, fmtTime(c.createdAt)),
    ),
  );
  show(
    main,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Campaigns'),
      h(
        'table',
        { id: 'campaigns-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Name', 'Status', 'Audience', 'Schedule'].map((t) => h('th', {}, t)),
            ['Recipients', 'Sent', 'Failed', 'Skipped', 'Unknown'].map((t) => h('th', { class: 'num' }, t)),
            h('th', {}, 'Created'),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length ? rows : h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No campaigns yet.')),
        ),
      ),
    ),
    createForm(segments.items),
  );
}

/** A select of segments and lists (by id), with an empty first choice when `none` is given. */
function audienceSelect(id, segments, none) {
  const group = (label, type) =>
    h(
      'optgroup',
      { label },
      segments.filter((s) => s.type === type).map((s) => h('option', { value: s._id }, s.name)),
    );
  return h(
    'select',
    { id },
    none ? h('option', { value: '' }, none) : null,
    group('Segments', 'dynamic'),
    group('Lists', 'static'),
  );
}

function createForm(segments) {
  const name = h('input', {
    type: 'text',
    id: 'camp-name',
    maxlength: 100,
    placeholder: 'e.g. Spring offer',
  });
  const segment = audienceSelect('camp-segment', segments, segments.length ? null : 'no segments yet');
  const exclude = audienceSelect('camp-exclude', segments, 'nobody');
  const template = h('textarea', { id: 'camp-template', value: DEFAULT_TEMPLATE, maxlength: 4000 });
  const previewFor = h(
    'select',
    { id: 'camp-preview-contact' },
    h('option', { value: '' }, 'the sample contact'),
  );
  const rendered = h('div', { class: 'message-preview', id: 'camp-template-preview', 'aria-live': 'polite' });
  const kind = h(
    'select',
    { id: 'camp-schedule' },
    [
      ['now', 'Now, once started'],
      ['at', 'Once, at a time'],
      ['daily', 'Every day'],
      ['weekly', 'Every week'],
    ].map(([v, t]) => h('option', { value: v }, t)),
  );
  const at = h('input', { type: 'datetime-local', id: 'camp-at', 'aria-label': 'date and time (UTC)' });
  const time = h('input', { type: 'time', id: 'camp-time', value: '10:00', 'aria-label': 'time (UTC)' });
  const weekday = h(
    'select',
    { id: 'camp-weekday', 'aria-label': 'weekday' },
    ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'].map((d, i) =>
      h('option', { value: i, selected: i === 1 ? true : undefined }, d),
    ),
  );
  const rate = h('input', { type: 'number', id: 'camp-rate', min: 1, max: 10000, step: 1, value: 50 });
  const quiet = h('input', { type: 'checkbox', id: 'camp-quiet' });
  const quietStart = h('input', {
    type: 'time',
    id: 'camp-quiet-start',
    value: '21:00',
    'aria-label': 'from',
  });
  const quietEnd = h('input', { type: 'time', id: 'camp-quiet-end', value: '08:00', 'aria-label': 'until' });
  const status = h('div');
  const create = h('button', { type: 'button', id: 'camp-create' }, 'Create campaign');

  const whenFields = h('span', { class: 'row inline' });
  const showWhen = () => {
    const k = kind.value;
    show(
      whenFields,
      k === 'at' ? [at, h('span', { class: 'muted' }, 'UTC')] : null,
      k === 'weekly' ? weekday : null,
      k === 'daily' || k === 'weekly'
        ? [h('span', {}, 'at'), time, h('span', { class: 'muted' }, 'UTC')]
        : null,
    );
  };
  kind.addEventListener('change', showWhen);
  showWhen();

  // The live preview: the server renders the template exactly as a delivery would.
  let timer;
  let seq = 0;
  const renderPreview = () => {
    clearTimeout(timer);
    const mine = ++seq;
    timer = setTimeout(async () => {
      try {
        const body = {
          template: { text: template.value },
          name: name.value.trim() || 'Your campaign',
          ...(previewFor.value ? { contactId: previewFor.value } : {}),
          ...(segment.value ? { segment: segment.value } : {}),
        };
        const p = await api('POST', '/campaigns/preview', body);
        if (mine === seq) show(rendered, h('div', { class: 'bubble' }, p.text));
      } catch (err) {
        if (mine === seq) show(rendered, errorLine(err));
      }
    }, PREVIEW_MS);
  };
  // Real members of the chosen audience to preview for, besides the sample contact.
  const loadMembers = async () => {
    const keep = previewFor.value;
    const opts = [h('option', { value: '' }, 'the sample contact')];
    if (segment.value) {
      try {
        const page = await api('GET', `/segments/${segment.value}/members?limit=5`);
        for (const c of page.items) opts.push(h('option', { value: c._id }, c.name || c.email || c._id));
      } catch {
        // No members to offer: the sample contact stays.
      }
    }
    show(previewFor, opts);
    if ([...previewFor.options].some((o) => o.value === keep)) previewFor.value = keep;
    renderPreview();
  };
  template.addEventListener('input', renderPreview);
  name.addEventListener('input', renderPreview);
  previewFor.addEventListener('change', renderPreview);
  segment.addEventListener('change', loadMembers);
  void loadMembers();

  const fields = (...parts) =>
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          const tag = `{{${parts.join('.')}}}`;
          const pos = template.selectionStart ?? template.value.length;
          template.value =
            template.value.slice(0, pos) + tag + template.value.slice(template.selectionEnd ?? pos);
          template.focus();
          renderPreview();
        },
      },
      `{{${parts.join('.')}}}`,
    );

  create.addEventListener('click', async () => {
    const k = kind.value;
    const schedule =
      k === 'now'
        ? { kind: 'now' }
        : k === 'at'
          ? { kind: 'at', at: at.value ? `${at.value}:00Z` : '' }
          : k === 'daily'
            ? { kind: 'daily', time: time.value }
            : { kind: 'weekly', weekday: Number(weekday.value), time: time.value };
    const body = {
      name: name.value.trim(),
      audience: { segment: segment.value, ...(exclude.value ? { exclude: exclude.value } : {}) },
      template: { text: template.value },
      schedule,
      ratePerSecond: Number(rate.value),
      ...(quiet.checked ? { quietHours: { start: quietStart.value, end: quietEnd.value } } : {}),
    };
    try {
      const c = await api('POST', '/campaigns', body);
      location.hash = `#/campaigns/${c._id}`;
    } catch (err) {
      show(status, errorLine(err));
    }
  });

  return h(
    'section',
    { class: 'card', id: 'new-campaign' },
    h('h2', {}, 'New campaign'),
    h('label', { for: 'camp-name' }, 'Name'),
    name,
    h('label', { for: 'camp-segment' }, 'Audience'),
    h('div', { class: 'row inline' }, segment, h('span', {}, 'minus'), exclude),
    h('label', { for: 'camp-template' }, 'Message'),
    template,
    h(
      'p',
      { class: 'muted' },
      'Insert: ',
      fields('contact', 'name'),
      ' ',
      fields('contact', 'email'),
      ' ',
      fields('contact', 'lifetimeValue'),
      ' ',
      fields('segment', 'name'),
      ' ',
      fields('campaign', 'name'),
      ' · custom fields as {{#if contact.custom.plan}}…{{/if}}',
    ),
    h('div', { class: 'row inline' }, h('span', {}, 'Preview for'), previewFor),
    rendered,
    h('label', { for: 'camp-schedule' }, 'When'),
    h('div', { class: 'row inline' }, kind, whenFields),
    h('label', { for: 'camp-rate' }, 'Send rate'),
    h('div', { class: 'row inline' }, rate, h('span', { class: 'muted' }, 'messages per second at most')),
    h(
      'div',
      { class: 'row inline' },
      h('label', { class: 'check', for: 'camp-quiet' }, quiet, ' Quiet hours: send nothing from'),
      quietStart,
      h('span', {}, 'until'),
      quietEnd,
      h('span', { class: 'muted' }, 'UTC'),
    ),
    h(
      'div',
      { class: 'row' },
      create,
      h('span', { class: 'muted' }, 'A new campaign is a draft: start it from its page.'),
    ),
    status,
  );
}
