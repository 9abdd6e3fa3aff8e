import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.local/', 'reports/', 'coverage/'] },
  // A generated service's own files: linted where they land, in the service test/template generates.
  { ignores: ['scripts/new-service/minimal/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // What the Lambda bundles contain (scripts and tests may use classic zod).
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              // Measured by npm run bench: classic zod's methods keep ~95 KB of it in every bundle, zod/mini ~22 KB.
              message: "Use `import * as z from 'zod/mini'` (its checks are functions esbuild can drop).",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod/mini'][importKind!='type'] > ImportSpecifier[imported.name='z']",
          // Measured by npm run bench: the named import pulls all of zod (with its locales) into every bundle.
          message:
            "Use `import * as z from 'zod/mini'`: esbuild can then drop the parts of zod a handler does not use.",
        },
      ],
    },
  },
  // The layers of src/ (../shared/STYLE.md, ports and adapters), held by lint rather than by good intentions.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../*',
                '!../domain',
                '@aws-sdk/*',
                '@middy/*',
                '@aws-lambda-powertools/*',
                'aws-lambda',
                'zod',
                'zod/*',
              ],
              message: 'domain/ imports nothing outside itself (no AWS, no framework).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/application/**/*.ts', 'src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../adapters/*',
                '../handlers/*',
                '../shared/*',
                // zod's English messages, loaded once (zod/mini ships no locale): configuration, not an adapter.
                '!../shared/zod-english',
                '@aws-sdk/*',
                '@middy/*',
                '@aws-lambda-powertools/*',
              ],
              message:
                'application/ and ports/ import only domain/ and ports/: adapters are wired in by the entry files of handlers/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../application/*', '../adapters/*', '../handlers/*', '../shared/*'],
              message: 'ports/ import only domain/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/handlers/http/**/*.ts', 'src/handlers/tasks/**/*.ts', 'src/handlers/observability.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../adapters/*', '../adapters/*'],
              message:
                'Only the entry files src/handlers/<name>.ts choose adapters; handler bodies receive ports.',
            },
          ],
        },
      ],
    },
  },
  // The local cloud and its test kit are a product of their own (local/README.md): user code imports its entries only.
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/local/*',
                '!**/local/index',
                '!**/local/testkit',
                '**/local/testkit/*',
                '!**/local/testkit/index',
              ],
              message:
                'Import the local cloud from local/ itself (local/index.ts), or the workflow kit alone from local/testkit; the rest of local/ is its inside, free to change.',
            },
          ],
        },
      ],
    },
  },
  {
    // jest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.
    files: ['test/**/*.ts', 'local/test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // A test that cannot fail is a defect (../shared/STYLE.md): none focused, none skipped, each one asserting.
    files: ['test/**/*.test.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-standalone-expect': 'error',
      'jest/valid-expect': 'error',
      'jest/no-identical-title': 'error',
      // fast-check's fc.assert fails the test with the counterexample its property found.
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expectValidAsl', 'fc.assert'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
      },
    },
  },
  prettier,
);
