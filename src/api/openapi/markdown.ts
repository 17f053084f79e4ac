/**
 * docs/api.md, written from the OpenAPI document the server serves: one section per tag, one
 * entry per operation with its parameters, body fields, success fields and error statuses.
 * `npm run docs:api` writes the file and a test checks that the committed one is current, so the
 * page cannot drift from the routes.
 */

type Schema = { [key: string]: unknown };
type Doc = {
  tags?: { name: string }[];
  /** Operations are read as `Operation`: the document comes from buildOpenApi, which writes that shape. */
  paths: Record<string, Record<string, unknown>>;
};
type Operation = {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

const INTRO = `# REST API

Generated from the OpenAPI document by \`npm run docs:api\`; do not edit it by hand (a test fails
when it differs from what the code serves). The same document is served at
\`GET /api/v1/openapi.json\` (no key needed) and shown in the console under "API docs".

- **Base path** \`/api/v1\`. Every call needs \`Authorization: Bearer <key>\`: a workspace API key
  (the first run of \`npm start\` prints one; \`npm run workspace -- key <workspace>\` makes more) or
  \`ADMIN_API_KEY\`, the bootstrap key of the workspace \`default\`. Everything a key reads or
  changes belongs to its workspace; another workspace's resource is a 404.
- **Errors** are \`{"error": {"code", "message", "details"?}}\` with a stable \`code\`
  (\`VALIDATION_FAILED\`, \`RULE_SYNTAX\` with line and column, \`NOT_FOUND\`, \`CONFLICT\`, …).
  Bad input changes nothing.
- **Paging**: lists take \`limit\` and \`cursor\` and answer \`nextCursor\` (absent on the last page).
- **Bodies** are JSON, at most 1 MiB (the contact import takes up to 16 MiB, also as NDJSON).

\`test/e2e/openapi.test.ts\` fails when a route under \`/api/v1\` is served but not documented,
and sends generated requests to every operation: none may answer 5xx, a status the document does
not list, or a body that does not match its documented schema.
`;

const BIG = 9007199254740991;

export function apiMarkdown(doc: Doc): string {
  const out: string[] = [INTRO];
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const t of doc.tags ?? []) byTag.set(t.name, []);
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as Operation;
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  out.push(...errorStatuses(doc));
  out.push('## Operations\n');
  for (const [tag, ops] of byTag) {
    if (!ops.length) continue;
    out.push(
      `- **${tag}**: ${ops.map((o) => `[\`${o.method.toUpperCase()} ${o.path}\`](#${anchor(o)})`).join(', ')}`,
    );
  }
  out.push('');
  for (const [tag, ops] of byTag) {
    if (!ops.length) continue;
    out.push(`## ${tag}\n`);
    for (const o of ops) out.push(...operation(o));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Every error status the document uses, with its meaning, once. */
function errorStatuses(doc: Doc): string[] {
  const seen = new Map<string, string>();
  for (const methods of Object.values(doc.paths))
    for (const raw of Object.values(methods))
      for (const [status, r] of Object.entries((raw as Operation).responses ?? {}))
        if (Number(status) >= 300 && !seen.has(status)) seen.set(status, r.description ?? '');
  const rows = [...seen].sort(([a], [b]) => Number(a) - Number(b));
  return [
    '## Error statuses\n',
    '| status | meaning |',
    '| --- | --- |',
    ...rows.map(([s, d]) => `| ${s} | ${cell(d)} |`),
    '',
  ];
}

function anchor(o: { method: string; path: string }): string {
  return `${o.method} ${o.path}`
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function operation({ method, path, op }: { method: string; path: string; op: Operation }): string[] {
  const lines = [`### ${method.toUpperCase()} ${path}\n`, `${op.summary ?? ''}\n`];
  const params = op.parameters ?? [];
  if (params.length) {
    lines.push('| parameter | in | type | required |', '| --- | --- | --- | --- |');
    for (const p of params)
      lines.push(
        `| \`${p.name}\` | ${p.in} | ${cell(describe(p.schema ?? {}))} | ${p.required ? 'yes' : 'no'} |`,
      );
    lines.push('');
  }
  const body = Object.values(op.requestBody?.content ?? {})[0]?.schema;
  if (body) lines.push(...fieldTable('Body', body));
  const responses = Object.entries(op.responses ?? {});
  for (const [status, r] of responses.filter(([s]) => Number(s) < 300)) {
    const [type, content] = Object.entries(r.content ?? {})[0] ?? [];
    if (!content?.schema) lines.push(`**${status}**: no body.\n`);
    else if (type !== 'application/json') lines.push(`**${status}**: \`${type}\`.\n`);
    else lines.push(...fieldTable(`**${status}**`, content.schema));
  }
  const errors = responses.filter(([s]) => Number(s) >= 300);
  if (errors.length)
    lines.push(`Errors: ${errors.map(([s, r]) => `${s} ${r.description ?? ''}`.trim()).join('; ')}.\n`);
  return lines;
}

/** An object's fields (two levels deep) as a table, or one line for anything else. */
function fieldTable(title: string, schema: Schema): string[] {
  const rows = fields(schema, '', 0);
  if (!rows.length) return [`${title}: ${cell(describe(schema))}.\n`];
  return [
    `${title}:\n`,
    '| field | type | required |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| \`${r.name}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} |`),
    '',
  ];
}

function fields(
  schema: Schema,
  prefix: string,
  depth: number,
): { name: string; type: string; required: boolean }[] {
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props) return [];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows: { name: string; type: string; required: boolean }[] = [];
  for (const [name, s] of Object.entries(props)) {
    rows.push({ name: `${prefix}${name}`, type: describe(s), required: required.has(name) });
    const inner = s.type === 'array' ? (s.items as Schema | undefined) : s;
    if (depth < 1 && inner?.properties)
      rows.push(...fields(inner, `${prefix}${name}${s.type === 'array' ? '[]' : ''}.`, depth + 1));
  }
  return rows;
}

/** One schema in a few words: its type and the constraints a caller needs. */
export function describe(s: Schema): string {
  const parts: string[] = [];
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) parts.push(alternatives.map(describe).join(' or '));
  else if (s.const !== undefined) parts.push(`\`${JSON.stringify(s.const)}\``);
  else if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  else if (s.type === 'array') {
    const items = s.items as Schema | undefined;
    parts.push(`array of ${items ? describe(items) : 'any'}`);
  } else if (typeof s.type === 'string') parts.push(s.type);
  else if (Array.isArray(s.type)) parts.push(s.type.join(' or '));
  else parts.push('any');
  const range = (min: unknown, max: unknown, unit: string) => {
    const lo = typeof min === 'number' && Math.abs(min) < BIG ? min : undefined;
    const hi = typeof max === 'number' && Math.abs(max) < BIG ? max : undefined;
    if (lo !== undefined && hi !== undefined) parts.push(`${lo}–${hi}${unit}`);
    else if (lo !== undefined) parts.push(`≥ ${lo}${unit}`);
    else if (hi !== undefined) parts.push(`≤ ${hi}${unit}`);
  };
  range(s.minimum, s.maximum, '');
  range(s.minLength, s.maxLength, ' characters');
  range(s.minItems, s.maxItems, ' items');
  if (typeof s.format === 'string') parts.push(s.format);
  if (typeof s.pattern === 'string' && s.pattern.length <= 40) parts.push(`matching \`${s.pattern}\``);
  if (s.default !== undefined) parts.push(`default \`${JSON.stringify(s.default)}\``);
  if (typeof s.description === 'string') parts.push(s.description);
  const examples = s.examples as unknown[] | undefined;
  if (examples?.length)
    parts.push(`e.g. \`${typeof examples[0] === 'string' ? examples[0] : JSON.stringify(examples[0])}\``);
  return parts.join(', ');
}

/** Table cells cannot hold `|` or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
