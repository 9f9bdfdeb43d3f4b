import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const servicePackages = ['ingest', 'projector', 'citizen', 'relay', 'hub'].map((s) => `@nexo/${s}`);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.tsbuild/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nexo/*/src/*', '@nexo/*/src'], message: 'Import a package through its entry point.' },
            { group: ['../../packages/*', '../../services/*'], message: 'Depend on a workspace package.' },
          ],
        },
      ],
    },
  },
  {
    // Only the all-in-one launcher composes services; every other service stands alone.
    files: [
      'services/ingest/**',
      'services/projector/**',
      'services/citizen/**',
      'services/relay/**',
      'packages/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: servicePackages.map((name) => ({
            name,
            message: 'A service never depends on another service.',
          })),
          patterns: [
            { group: ['@nexo/*/src/*', '@nexo/*/src'], message: 'Import a package through its entry point.' },
            { group: ['../../packages/*', '../../services/*'], message: 'Depend on a workspace package.' },
          ],
        },
      ],
    },
  },
);
