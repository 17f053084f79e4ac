/**
 * `npm run docs:api`: writes docs/api.md from the OpenAPI document the server serves. Run it after
 * changing a route or its schemas; test/unit/docs.test.ts fails while the file is out of date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiDocument } from '../api/openapi';
import { apiMarkdown } from '../api/openapi/markdown';
import { loadConfig } from '../config';

export const API_DOC = 'docs/api.md';

function main(): void {
  const { projectRoot, version } = loadConfig({});
  const file = path.join(projectRoot, API_DOC);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, apiMarkdown(apiDocument(version)));
  console.log(`wrote ${API_DOC}`);
}

if (require.main === module) main();
