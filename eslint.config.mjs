// ESLint with typescript-eslint's type-checked rules; floating promises are errors.
// The layers (docs/architecture.md) are enforced here: each folder lists what it may not import.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** A layer may not import these (import paths as written, relative or not). */
const forbid = (files, groups, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] },
});
const ENTRY = [
  '**/compose',
  '**/compose/**',
  '**/app',
  '**/main',
  '**/cli/**',
  '**/seed/**',
  '**/import/main',
];
const layers = [
  forbid(
    ['src/rules/**/*.ts'],
    ['**/domain', '**/domain/**', '**/infra/**', '**/api', '**/api/**', '**/bot/**', '**/config', ...ENTRY],
    'src/rules is the lowest layer: it imports only itself, src/errors and src/util.',
  ),
  forbid(
    ['src/domain/**/*.ts'],
    [
      '**/infra/**',
      '**/api',
      '**/api/**',
      '**/bot/**',
      '**/config',
      '**/console',
      'mongodb',
      'mongoose',
      'agenda',
      'restify',
      'botbuilder',
      ...ENTRY,
    ],
    'src/domain depends on rules and its own ports (src/domain/ports); infra implements them.',
  ),
  forbid(
    ['src/infra/**/*.ts'],
    ['**/api', '**/api/**', '**/bot', '**/bot/**', '**/console', ...ENTRY],
    'src/infra implements the domain ports; it must not reach up into the API, the bot or the composition root.',
  ),
  forbid(
    ['src/api/**/*.ts', 'src/console/**/*.ts'],
    ['**/bot', '**/bot/**', ...ENTRY],
    'The API depends on domain services and infra, never on the bot or the composition root.',
  ),
  forbid(
    ['bot/**/*.ts'],
    [
      '**/src/api',
      '**/src/api/**',
      '**/src/console',
      '**/src/compose',
      '**/src/compose/**',
      '**/src/app',
      '**/src/main',
      '**/src/cli/**',
      '**/src/seed/**',
      '**/src/import/**',
    ],
    'The bot depends on domain services and infra, never on the API or the composition root.',
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.cache/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Value-import cycles, in the editor too; `npm run lint` also runs madge, which counts type imports.
    files: ['src/**/*.ts', 'bot/**/*.ts', 'flows/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  ...layers,
  {
    // Flows are pure machines: effects, clocks and storage are the runtime's (DESIGN §3.6).
    files: ['flows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'worker_threads'],
              message: 'flows/ is pure: no I/O modules.',
            },
            {
              group: [
                'mongodb',
                'mongoose',
                'agenda',
                '@agendajs/*',
                'botbuilder',
                'restify',
                'pino',
                'handlebars',
              ],
              message: 'flows/ is pure: the runtime (src/infra/flows) does I/O.',
            },
            {
              group: ['**/infra/**', '**/bot/**', '**/api/**', '**/app'],
              message: 'flows/ may import pure code only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      // Tests read JSON bodies of HTTP responses: `any` there is checked by the assertions.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
