// "Why is this contact in (or out of) the segment?": the API's explanation, condition by
// condition, with the contact's actual values and when the answer changes by itself.
import { api } from './api.js';
import { errorLine, fmtTime, h, show } from './dom.js';

export function explainCard(s) {
  const input = h('input', { type: 'text', id: 'explain-contact', placeholder: 'contact id' });
  const out = h('div', { id: 'explain-result' });
  const use = async (contactId) => {
    input.value = contactId;
    try {
      const e = await api('GET', `/contacts/${encodeURIComponent(contactId)}/segments/${s._id}/explain`);
      show(
        out,
        h(
          'p',
          {},
          h('strong', {}, e.member ? 'Member' : 'Not a member'),
          e.nextFlip ? ` · changes by itself at ${fmtTime(e.nextFlip)}` : '',
          e.why ? ` · ${e.why}` : '',
        ),
        e.tree ? h('ul', {}, node(e.tree)) : null,
      );
    } catch (err) {
      show(out, errorLine(err));
    }
  };
  const card = h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Why is a contact in (or out)?'),
    input,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'secondary', onclick: () => use(input.value.trim()) }, 'Explain'),
    ),
    out,
  );
  return { card, use };
}

function node(n) {
  const mark = n.result ? '✔' : '✘';
  if (n.kind === 'group') {
    return h(
      'li',
      {},
      `${mark} ${n.not ? 'NOT ' : ''}${n.op.toUpperCase()}`,
      h('ul', {}, n.children.map(node)),
    );
  }
  return h(
    'li',
    {},
    `${mark} `,
    h('code', {}, n.text),
    h('span', { class: 'muted' }, ` — actual: ${n.missing ? 'missing' : JSON.stringify(n.actual)}`),
  );
}
