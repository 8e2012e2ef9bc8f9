// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron may import electron.' }] },
      ],
    },
  },
  {
    // The desktop shell talks to Electron through its platform port (main/electron/platform.ts):
    // one adapter imports electron, and the preload; every other shell file is plain TypeScript.
    files: ['main/electron/**/*.ts'],
    ignores: ['main/electron/electron-platform.ts', 'main/electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only main/electron/electron-platform.ts (and the preload) import electron: add what you need to the platform port (platform.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // The adapter uses electron; ipcRenderer stays in the preload.
    files: ['main/electron/electron-platform.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcRenderer'],
              message: 'Only main/electron/preload.ts may use ipcRenderer, and never expose it.',
            },
            { name: '@electron/remote', message: 'Ferry never uses @electron/remote.' },
          ],
        },
      ],
    },
  },
  { files: ['main/electron/preload.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // node:test's describe/it return promises that the runner awaits itself.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
