// The visual rule builder (its pure half is rule-text.js): conditions picked from the fields this
// workspace has, AND/OR groups, NOT on a condition or a group. It edits the rule AST and shows
// the rule text the API takes as it changes; the Text tab edits that text by hand, and "Open in
// builder" turns typed text back into the builder through the server's parser (a preview answers
// with the AST). Every change is previewed after a short pause (count and sample).
import { api } from './api.js';
import { errorLine, h, show } from './dom.js';
import {
  FIELD_GROUPS,
  FIELD_LABELS,
  conditionsOf,
  customOperators,
  fromBuilder,
  missingValue,
  newCondition,
  operatorLabel,
  parseList,
  printRule,
  toBuilder,
  valueKind,
  withOperator,
} from './rule-text.js';

const DEBOUNCE_MS = 350;
const CUSTOM_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const UNITS = ['days', 'hours', 'minutes'];

/** What the builder offers: the catalogue, this workspace's tags and custom fields, its segments and lists. */
export async function loadRuleContext() {
  const [fields, segments] = await Promise.all([api('GET', '/rules/fields'), api('GET', '/segments')]);
  return {
    fields,
    types: new Map(fields.fields.map((f) => [f.name, f.type])),
    customTypes: new Map(fields.workspace.custom.map((c) => [c.key, c.type])),
    segments: segments.items.filter((s) => s.type === 'dynamic').map((s) => s.name),
    lists: segments.items.filter((s) => s.type === 'static').map((s) => s.name),
  };
}

const typeOf = (ctx, field) => (field.startsWith('custom.') ? 'custom' : (ctx.types.get(field) ?? 'string'));

/** What a condition still lacks, its field included (a custom field needs a name). */
function missing(ctx, c) {
  if (c.field.startsWith('custom.') && !CUSTOM_KEY.test(c.field.slice(7))) return 'a custom field name';
  return missingValue(c, typeOf(ctx, c.field));
}

/**
 * A rule editor: builder and text tabs, the live rule text and a debounced preview.
 * `preview(text)` returns the node to show for a complete rule (or throws the API's error);
 * `onChange(text | null)` hears each previewed text (null while the rule is incomplete or wrong).
 * `exclude` is the segment being edited (it cannot name itself).
 */
export function ruleEditor({ ctx, rule, id, preview, onChange = () => {}, exclude }) {
  let tree = toBuilder(rule);
  let mode = 'builder';
  let timer;
  let seq = 0;
  const lists = new WeakSet(); // membership conditions shown as "On list"
  const untouched = new WeakSet(); // the starting condition of a new rule: not flagged until edited
  for (const c of conditionsOf(tree)) if (c.field === 'segment' && ctx.lists.includes(c.value)) lists.add(c);

  const builderEl = h('div', { class: 'rb', id: `${id}-builder` });
  const textEl = h('code', { id: `${id}-rule-text` });
  const textLine = h('p', { class: 'rule-line' }, 'Rule text: ', textEl);
  const textarea = h('textarea', {
    id: `${id}-rule`,
    placeholder: 'lifetimeValue > 5000 OR tag = "VIP"',
    spellcheck: 'false',
  });
  const toBuilderButton = h(
    'button',
    { type: 'button', class: 'secondary', id: `${id}-to-builder` },
    'Open in builder',
  );
  const textPane = h(
    'div',
    { hidden: true },
    textarea,
    h(
      'div',
      { class: 'row' },
      toBuilderButton,
      h('span', { class: 'muted' }, 'Any rule text the API takes.'),
    ),
  );
  const result = h('div', { class: 'preview-result', id: `${id}-preview`, 'aria-live': 'polite' });
  const tabBuilder = h('button', { type: 'button', role: 'tab', id: `${id}-tab-builder` }, 'Builder');
  const tabText = h('button', { type: 'button', role: 'tab', id: `${id}-tab-text` }, 'Text');

  /** The rule text now, or null (with why) when there is nothing complete to send. */
  const current = () => {
    if (mode === 'text') {
      const t = textarea.value.trim();
      return t ? { text: t } : { why: 'Type a rule.' };
    }
    const incomplete = conditionsOf(tree).filter((c) => missing(ctx, c));
    const touched = incomplete.filter((c) => !untouched.has(c));
    if (touched.length)
      return { why: `Complete the highlighted condition: it needs ${missing(ctx, touched[0])}.` };
    if (incomplete.length) return { why: 'Pick a field and fill in its value: the count follows as you go.' };
    const r = fromBuilder(tree);
    return r ? { text: printRule(r) } : { why: 'Add a condition.' };
  };

  const changed = () => {
    const now = current();
    if (mode === 'builder') {
      textEl.textContent = now.text ?? '…';
      textEl.classList.toggle('muted', !now.text);
    }
    onChange(null);
    clearTimeout(timer);
    const mine = ++seq;
    if (!now.text) return show(result, h('p', { class: 'muted' }, now.why));
    show(result, h('p', { class: 'muted' }, 'Counting…'));
    timer = setTimeout(async () => {
      try {
        const node = await preview(now.text);
        if (mine !== seq) return;
        show(result, node);
        onChange(now.text);
      } catch (err) {
        if (mine === seq) show(result, errorLine(err));
      }
    }, DEBOUNCE_MS);
  };

  const setMode = (m) => {
    mode = m;
    tabBuilder.setAttribute('aria-selected', String(m === 'builder'));
    tabText.setAttribute('aria-selected', String(m === 'text'));
    builderEl.hidden = m !== 'builder';
    textLine.hidden = m !== 'builder';
    textPane.hidden = m !== 'text';
  };
  tabBuilder.addEventListener('click', () => openInBuilder());
  tabText.addEventListener('click', () => {
    if (mode === 'text') return;
    const now = current();
    if (now.text) textarea.value = now.text;
    setMode('text');
    textarea.focus();
    changed();
  });
  textarea.addEventListener('input', changed);
  toBuilderButton.addEventListener('click', () => openInBuilder());

  /** Typed text into the builder: the server parses it (one grammar); an error keeps the text. */
  async function openInBuilder() {
    if (mode === 'builder') return;
    const t = textarea.value.trim();
    if (t) {
      try {
        const p = await api('POST', '/segments/preview', { rule: t });
        tree = toBuilder(p.rule);
        for (const c of conditionsOf(tree))
          if (c.field === 'segment' && ctx.lists.includes(c.value)) lists.add(c);
      } catch (err) {
        return show(result, errorLine(err));
      }
    } else tree = toBuilder(null);
    setMode('builder');
    render();
  }

  function render() {
    show(builderEl, group(tree, null, ''));
    changed();
  }

  // ---- groups ----
  function group(g, parent, path) {
    const not = h('input', { type: 'checkbox', class: 'rb-not', checked: g.not ? true : undefined });
    not.addEventListener('change', () => {
      if (not.checked) g.not = true;
      else delete g.not;
      delete g.single;
      render();
    });
    const op = h(
      'select',
      { class: 'rb-op-group', 'aria-label': 'match' },
      h('option', { value: 'and', selected: g.op === 'and' ? true : undefined }, 'all'),
      h('option', { value: 'or', selected: g.op === 'or' ? true : undefined }, 'any'),
    );
    op.addEventListener('change', () => {
      g.op = op.value;
      render();
    });
    const add = h('button', { type: 'button', class: 'secondary rb-add' }, '+ Condition');
    add.addEventListener('click', () => {
      g.children.push(newCondition('name', 'string', operatorsFor('name')));
      delete g.single;
      render();
      builderEl.querySelectorAll('.rb-cond .rb-field')[conditionsOf(tree).length - 1]?.focus();
    });
    const addGroup = h('button', { type: 'button', class: 'secondary rb-add-group' }, '+ Group');
    addGroup.addEventListener('click', () => {
      g.children.push({
        kind: 'group',
        op: g.op === 'and' ? 'or' : 'and',
        children: [newCondition('name', 'string', operatorsFor('name'))],
      });
      delete g.single;
      render();
    });
    const remove = parent
      ? h('button', { type: 'button', class: 'link rb-remove', 'aria-label': 'remove group' }, 'Remove group')
      : null;
    remove?.addEventListener('click', () => {
      parent.children.splice(parent.children.indexOf(g), 1);
      delete parent.single;
      render();
    });
    return h(
      'div',
      { class: `rb-group${g.not ? ' negated' : ''}`, 'data-path': path },
      h(
        'div',
        { class: 'rb-head' },
        h('label', { class: 'rb-check' }, not, 'NOT'),
        h('span', {}, 'Match ', op, ' of:'),
        add,
        addGroup,
        remove,
      ),
      h(
        'div',
        { class: 'rb-children' },
        g.children.length
          ? g.children.map((child, i) => {
              const at = path === '' ? String(i) : `${path}.${i}`;
              return child.kind === 'group' ? group(child, g, at) : condition(child, g, at);
            })
          : h('p', { class: 'muted' }, 'No conditions yet: add one.'),
      ),
    );
  }

  // ---- conditions ----
  function operatorsFor(field) {
    const type = typeOf(ctx, field);
    const all = ctx.fields.operatorsByType[type] ?? [];
    return type === 'custom' ? customOperators(ctx.customTypes.get(field.slice(7)), all) : all;
  }

  function fieldSelect(c) {
    const chosen = c.field === 'segment' ? (lists.has(c) ? 'list' : 'segment') : c.field;
    const opt = (value, label) =>
      h('option', { value, selected: value === chosen ? true : undefined }, label);
    const byGroup = new Map(FIELD_GROUPS.map((g) => [g, []]));
    for (const f of ctx.fields.fields) {
      if (f.name === 'segment') continue;
      const [label, grp] = FIELD_LABELS[f.name] ?? [f.name, 'Contact'];
      byGroup.get(grp).push(opt(f.name, label));
    }
    const keys = ctx.fields.workspace.custom.map((x) => x.key);
    const own = c.field.startsWith('custom.') ? c.field.slice(7) : undefined;
    if (own && CUSTOM_KEY.test(own) && !keys.includes(own)) keys.push(own);
    byGroup
      .get('Custom fields')
      .push(
        ...keys.map((k) => opt(`custom.${k}`, k)),
        h(
          'option',
          { value: 'custom.', selected: c.field === 'custom.' ? true : undefined },
          'Other custom field…',
        ),
      );
    byGroup.get('Membership').push(opt('segment', 'In segment'), opt('list', 'On list'));
    return h(
      'select',
      { class: 'rb-field', 'aria-label': 'field' },
      [...byGroup].map(([g, options]) => h('optgroup', { label: g }, options)),
    );
  }

  function condition(c, parent, path) {
    const row = h('div', { class: 'rb-cond', 'data-path': path });
    const type = typeOf(ctx, c.field);
    const not = h('input', { type: 'checkbox', class: 'rb-not', checked: c.not ? true : undefined });
    not.addEventListener('change', () => {
      if (not.checked) c.not = true;
      else delete c.not;
      changed();
    });
    const field = fieldSelect(c);
    field.addEventListener('change', () => {
      const f = field.value === 'list' ? 'segment' : field.value;
      const next = newCondition(f, typeOf(ctx, f), operatorsFor(f));
      if (c.not) next.not = true;
      parent.children[parent.children.indexOf(c)] = next;
      if (field.value === 'list') lists.add(next);
      render();
    });
    const ops = [...operatorsFor(c.field)];
    if (!ops.includes(c.operator)) ops.push(c.operator);
    const op = h(
      'select',
      { class: 'rb-op', 'aria-label': 'operator', hidden: ops.length === 1 ? true : undefined },
      ops.map((o) =>
        h('option', { value: o, selected: o === c.operator ? true : undefined }, operatorLabel(type, o)),
      ),
    );
    op.addEventListener('change', () => {
      const next = withOperator(c, op.value, type);
      parent.children[parent.children.indexOf(c)] = next;
      if (lists.has(c)) lists.add(next);
      render();
    });
    const remove = h(
      'button',
      { type: 'button', class: 'link rb-remove', 'aria-label': 'remove condition' },
      '×',
    );
    remove.addEventListener('click', () => {
      parent.children.splice(parent.children.indexOf(c), 1);
      delete parent.single;
      render();
    });
    const mark = () => {
      const m = missing(ctx, c);
      row.classList.toggle('incomplete', Boolean(m) && !untouched.has(c));
      row.title = m ? `needs ${m}` : '';
    };
    const edited = () => {
      untouched.delete(c);
      mark();
      changed();
    };
    const keyInput =
      c.field.startsWith('custom.') && !ctx.customTypes.has(c.field.slice(7))
        ? h('input', {
            type: 'text',
            class: 'rb-key',
            placeholder: 'field name',
            'aria-label': 'custom field name',
            value: c.field.slice(7),
          })
        : null;
    keyInput?.addEventListener('input', () => {
      c.field = `custom.${keyInput.value.trim()}`;
      edited();
    });
    show(
      row,
      h('label', { class: 'rb-check', title: 'NOT: the opposite of this condition' }, not, 'NOT'),
      field,
      keyInput,
      op,
      valueEditor(c, type, edited),
      remove,
    );
    // "Asked about "refund" at least 2 times": the intent reads before the comparison.
    const intent = row.querySelector('.rb-intent');
    if (intent) op.before(intent);
    mark();
    return row;
  }

  /** The inputs of a condition's value, by the shape its operator takes; each edit writes c.value. */
  function valueEditor(c, type, edited) {
    const kind = valueKind(type, c.operator);
    const set = (v) => {
      if (v === undefined) delete c.value;
      else c.value = v;
      edited();
    };
    const text = (value, attrs = {}) =>
      h('input', { type: 'text', class: 'rb-value', value: value ?? '', ...attrs });
    const number = (value, attrs = {}) =>
      h('input', { type: 'number', step: 'any', class: 'rb-value rb-num', value: value ?? '', ...attrs });
    const toNumber = (s) => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));
    const units = (value, onchange) => {
      const sel = h(
        'select',
        { class: 'rb-unit', 'aria-label': 'unit' },
        UNITS.map((u) => h('option', { value: u, selected: u === value ? true : undefined }, u)),
      );
      sel.addEventListener('change', () => onchange(sel.value));
      return sel;
    };
    const tagList = c.field === 'tags' ? `${id}-tags` : undefined;
    /** A literal's type for custom fields: by the value, else by what the workspace stores. */
    const scalarType = () => {
      const first = Array.isArray(c.value) ? c.value[0] : c.value;
      if (typeof first === 'number') return 'number';
      if (typeof first === 'string') return 'text';
      return ctx.customTypes.get(c.field.slice(7)) === 'number' ? 'number' : 'text';
    };
    const typeSelect = (onchange) => {
      const sel = h(
        'select',
        { class: 'rb-type', 'aria-label': 'value type' },
        ['text', 'number'].map((t) =>
          h('option', { value: t, selected: t === scalarType() ? true : undefined }, t),
        ),
      );
      sel.addEventListener('change', () => onchange(sel.value));
      return sel;
    };

    switch (kind) {
      case 'none':
        return null;
      case 'string': {
        const input = text(c.value, tagList ? { list: tagList, placeholder: 'tag' } : {});
        input.addEventListener('input', () => set(input.value));
        return input;
      }
      case 'number': {
        const input = number(c.value);
        input.addEventListener('input', () => set(toNumber(input.value)));
        return input;
      }
      case 'scalar': {
        const input = text(c.value === undefined ? '' : String(c.value));
        let as = scalarType();
        const apply = () => set(as === 'number' ? toNumber(input.value) : input.value);
        input.addEventListener('input', apply);
        return [input, typeSelect((t) => ((as = t), apply()))];
      }
      case 'pair': {
        const [lo, hi] = Array.isArray(c.value) ? c.value : [];
        const a = number(lo, { 'aria-label': 'low' });
        const b = number(hi, { 'aria-label': 'high' });
        const apply = () => {
          const x = toNumber(a.value);
          const y = toNumber(b.value);
          set(x === undefined || y === undefined ? undefined : [x, y]);
        };
        a.addEventListener('input', apply);
        b.addEventListener('input', apply);
        return [a, h('span', {}, 'and'), b];
      }
      case 'stringList':
      case 'numberList':
      case 'list': {
        const area = h('textarea', {
          class: 'rb-value rb-list',
          rows: 2,
          placeholder: 'one per line',
          value: Array.isArray(c.value) ? c.value.join('\n') : '',
        });
        let as = kind === 'numberList' ? 'number' : kind === 'list' ? scalarType() : 'text';
        const apply = () => {
          const items = parseList(area.value, as === 'number');
          set(items && items.length ? items : undefined);
        };
        area.addEventListener('input', apply);
        const hint =
          c.field === 'tags' && ctx.fields.workspace.tags.length
            ? h(
                'span',
                { class: 'muted rb-hint' },
                `Tags in use: ${ctx.fields.workspace.tags
                  .slice(0, 8)
                  .map((t) => t.name)
                  .join(', ')}`,
              )
            : null;
        return [area, kind === 'list' ? typeSelect((t) => ((as = t), apply())) : null, hint];
      }
      case 'instant':
      case 'day': {
        const input = text(c.value, {
          placeholder: kind === 'day' ? '2026-12-07' : '2026-12-07 or 2026-12-07T09:00:00Z',
          'aria-label': 'date (UTC)',
        });
        input.addEventListener('input', () => set(input.value.trim() || undefined));
        return [input, h('span', { class: 'muted' }, 'UTC')];
      }
      case 'relative': {
        const v = c.value ?? { amount: 7, unit: 'days' };
        const amount = number(v.amount, { min: 1, step: 1, 'aria-label': 'amount' });
        const apply = (unit = v.unit) => {
          v.unit = unit;
          v.amount = toNumber(amount.value);
          set({ amount: v.amount, unit: v.unit });
        };
        amount.addEventListener('input', () => apply());
        const unit = units(v.unit, apply);
        return c.operator === 'more than ago' ? [amount, unit, h('span', {}, 'ago')] : [amount, unit];
      }
      case 'windowCount':
      case 'intentCount': {
        const v = c.value ?? { count: 1, last: { amount: 7, unit: 'days' } };
        const count = number(v.count, { min: 0, max: 20, step: 1, 'aria-label': 'count' });
        const amount = number(v.last?.amount, { min: 1, step: 1, 'aria-label': 'window' });
        let unitValue = v.last?.unit ?? 'days';
        let intentValue = v.intent;
        const apply = () => {
          const next = {
            count: toNumber(count.value),
            last: { amount: toNumber(amount.value), unit: unitValue },
          };
          set(kind === 'intentCount' ? { intent: intentValue, ...next } : next);
        };
        count.addEventListener('input', apply);
        amount.addEventListener('input', apply);
        const unit = units(unitValue, (u) => ((unitValue = u), apply()));
        let intent = null;
        if (kind === 'intentCount') {
          intent = h(
            'select',
            { class: 'rb-intent', 'aria-label': 'intent' },
            h('option', { value: '' }, 'choose…'),
            ctx.fields.intents.map((i) =>
              h('option', { value: i, selected: i === intentValue ? true : undefined }, `"${i}"`),
            ),
          );
          intent.addEventListener('change', () => ((intentValue = intent.value || undefined), apply()));
        }
        const times = kind === 'intentCount' ? 'times in the last' : 'in the last';
        return kind === 'intentCount'
          ? [intent, count, h('span', {}, times), amount, unit]
          : [count, h('span', {}, times), amount, unit];
      }
      case 'name': {
        const names = (lists.has(c) ? ctx.lists : ctx.segments).filter((n) => n !== exclude);
        if (typeof c.value === 'string' && c.value && !names.includes(c.value)) names.push(c.value);
        const sel = h(
          'select',
          { class: 'rb-value rb-segment', 'aria-label': lists.has(c) ? 'list' : 'segment' },
          h(
            'option',
            { value: '' },
            names.length ? 'choose…' : lists.has(c) ? 'no lists yet' : 'no segments yet',
          ),
          names.map((n) => h('option', { value: n, selected: n === c.value ? true : undefined }, n)),
        );
        sel.addEventListener('change', () => set(sel.value || undefined));
        return sel;
      }
      default:
        return null;
    }
  }

  setMode('builder');
  if (rule === null || rule === undefined) {
    const first = newCondition('name', 'string', operatorsFor('name'));
    untouched.add(first);
    tree.children.push(first);
  }
  render();
  // The tags in use, offered wherever a tag is typed.
  const tags = h(
    'datalist',
    { id: `${id}-tags` },
    ctx.fields.workspace.tags.map((t) => h('option', { value: t.name })),
  );
  const el = h(
    'div',
    { class: 'rule-editor' },
    tags,
    h('div', { class: 'tabs', role: 'tablist' }, tabBuilder, tabText),
    builderEl,
    textLine,
    textPane,
    result,
  );
  return { el, text: () => current().text ?? null };
}
