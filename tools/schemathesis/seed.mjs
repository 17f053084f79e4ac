// Seeds the server Schemathesis tests with real records and prints the TOML that makes the
// generator use their ids most of the time (a made-up id only ever reaches a 404), so the run
// gets past the lookups into each operation's own logic.
//   node tools/schemathesis/seed.mjs <base-url> <bootstrap key>  >> config.toml
const [base, key] = process.argv.slice(2);

async function call(method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json();
  if (res.status >= 300)
    throw new Error(`seed: ${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const contacts = [];
for (const [i, tags] of [['vip'], ['vip', 'beta'], []].entries()) {
  contacts.push((await call('POST', '/contacts', { name: `Seed ${i}`, externalId: `seed-${i}`, tags }))._id);
}
const vip = (await call('POST', '/segments', { name: 'Seed VIP', rule: 'tag = "vip"' }))._id;
const list = (await call('POST', '/segments', { name: 'Seed list', type: 'static' }))._id;
await call('POST', `/segments/${list}/members`, { contactIds: contacts.slice(0, 2) });
const campaign = (
  await call('POST', '/campaigns', {
    name: 'Seed campaign',
    audience: { segment: list },
    template: { text: 'Hello {{contact.name}}' },
    // Far ahead: it never sends during the run.
    schedule: { kind: 'at', at: '2099-01-01T00:00:00Z' },
  })
)._id;
const binding = (await call('POST', '/flows/bindings', { flow: 'welcome', segment: vip }))._id;
await call('POST', '/admin/workspaces', { id: 'seed', name: 'Seed' });
const keyId = (await call('POST', '/admin/workspaces/seed/keys', { name: 'seed' })).id;

const dictionaries = {
  contacts,
  segments: [vip, list],
  lists: [list],
  campaigns: [campaign],
  bindings: [binding],
  workspaces: ['seed'],
  keys: [keyId],
  compared: [`${vip},${list}`, vip],
};
const toml = (v) => JSON.stringify(v);
const out = [];
for (const [name, values] of Object.entries(dictionaries)) {
  out.push('', `[dictionaries.${name}]`, `values = ${toml(values)}`);
}
/** Operations by path regex, and which dictionary each path parameter draws from. */
const bindings = [
  ['^/contacts/\\{id\\}', { 'path.id': 'contacts', 'path.segmentId': 'segments' }],
  ['^/segments/\\{id\\}$', { 'path.id': 'segments' }],
  ['^/segments/\\{id\\}/members', { 'path.id': 'lists', 'path.contactId': 'contacts' }],
  ['^/campaigns/\\{id\\}', { 'path.id': 'campaigns' }],
  ['^/flows/bindings/\\{id\\}', { 'path.id': 'bindings' }],
  ['^/reports/segments/\\{id\\}', { 'path.id': 'segments' }],
  ['^/reports/compare', { 'query.segments': 'compared' }],
  ['^/admin/workspaces/\\{id\\}', { 'path.id': 'workspaces', 'path.keyId': 'keys' }],
  ['^/transitions', { 'query.contactId': 'contacts', 'query.segmentId': 'segments' }],
  ['^/flows/instances$', { 'query.contactId': 'contacts' }],
];
for (const [regex, params] of bindings) {
  out.push('', '[[operations]]', `include-path-regex = ${toml(regex)}`);
  const inline = Object.entries(params).map(
    ([param, dict]) => `${toml(param)} = { dictionary = ${toml(dict)}, probability = 0.8 }`,
  );
  out.push(`parameters = { ${inline.join(', ')} }`);
}
process.stdout.write(`${out.join('\n')}\n`);
