import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint-layers.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.compliance-build/',
      'node_modules/',
      'migrations/',
      'coverage/',
      '.interchange/',
    ],
  },
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
  // The layers of DESIGN.md, resolved per import (eslint-layers.js): nothing upward, another
  // module only through its index.ts, and no demo/ outside it but the entry point.
  {
    files: ['src/**/*.ts'],
    plugins: { interchange: layersPlugin },
    rules: { 'interchange/layers': 'error' },
  },
  {
    files: [
      'eslint.config.js',
      'eslint-layers.js',
      'vitest.config.ts',
      'bench/vitest-cpu-profile.config.ts',
      'drizzle.config.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
