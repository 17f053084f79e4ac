// The API reference, rendered from /api/v1/openapi.json (the document the server generates from
// its request schemas): operations by tag, with parameters, body and response schemas.
import { h, show } from './dom.js';

export async function renderDocs(main) {
  const res = await fetch('/api/v1/openapi.json');
  const doc = await res.json();
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const pre = (v) => h('pre', {}, JSON.stringify(v, null, 2));
  show(
    main,
    h(
      'section',
      { class: 'card', id: 'api-docs' },
      h('h2', {}, `${doc.info.title} ${doc.info.version}`),
      h(
        'p',
        {},
        doc.info.description,
        ' Base URL ',
        h('code', {}, doc.servers[0].url),
        '; send ',
        h('code', {}, 'Authorization: Bearer <API key>'),
        '. ',
        h('a', { href: '/api/v1/openapi.json' }, 'openapi.json'),
      ),
      [...byTag].map(([tag, ops]) => [
        h('h3', {}, tag),
        ops.map(({ path, method, op }) =>
          h(
            'div',
            { class: 'op' },
            h(
              'div',
              {},
              h('span', { class: `method ${method}` }, method),
              h('code', {}, path),
              ' — ',
              op.summary,
            ),
            op.parameters
              ? h(
                  'details',
                  {},
                  h('summary', {}, 'Parameters'),
                  pre(
                    op.parameters.map((p) => ({
                      name: p.name,
                      in: p.in,
                      required: p.required,
                      schema: p.schema,
                    })),
                  ),
                )
              : null,
            op.requestBody
              ? h(
                  'details',
                  {},
                  h('summary', {}, 'Request body'),
                  pre(op.requestBody.content['application/json'].schema),
                )
              : null,
            h(
              'details',
              {},
              h('summary', {}, `Responses: ${Object.keys(op.responses).join(', ')}`),
              pre(
                Object.fromEntries(
                  Object.entries(op.responses).map(([s, r]) => [
                    s,
                    r.content ? Object.values(r.content)[0].schema : r.description,
                  ]),
                ),
              ),
            ),
          ),
        ),
      ]),
    ),
  );
}
