import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'migrations/', 'coverage/', '.interchange/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  // Layers (DESIGN.md): transports (routes, agents, web, MCP, jobs) → modules → upstream and
  // platform. Nothing imports upward, and a module reaches another only through its index.ts.
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(agents|web|mcp|jobs|demo)/',
              message:
                'Modules sit below the transports: never import agents, web, mcp, jobs or demo.',
            },
            {
              regex: '^(\\.\\./)+(modules/)?[a-z-]+/(store|tables)\\.js$',
              message: "Another module's store and tables are its own: go through its index.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/platform/**/*.ts', 'src/upstream/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(modules|agents|web|mcp|jobs|demo)/',
              message: 'platform and upstream sit below the modules: nothing imports upward.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'drizzle.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
