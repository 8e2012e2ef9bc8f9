// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layer boundaries (docs/architecture.md, "One engine, one contract, three shells") as lint
// rules: each layer lists the import specifiers its files must not use. A specifier is matched
// as written, so a relative path is caught by the top-level folder it names
// ('../../renderer/x.js'); no folder inside a layer is named like another layer, which is what
// makes that exact.

/** Top-level folders of the repository that are not a layer's own. */
const NOT_SOURCE = ['tests', 'scripts', 'benchmarks', 'bin', 'build', 'assets', 'dist'];
/** The layers over the engine: the three shells and what they share. */
const SHELLS = ['electron', 'server', 'cli', 'host', 'native-host'];

/** A relative specifier that names one of `folders` ('../main/x.js', '../../renderer/y'). */
const naming = (/** @type {string[]} */ folders) => `^\\.{1,2}/(.*/)?(${folders.join('|')})/`;
/** A package specifier other than `allowed` (Node built-ins included). */
const packageOtherThan = (/** @type {string[]} */ allowed) =>
  `^(?!\\.|/|(${allowed.join('|')})(/|$))`;
const NODE_BUILTIN = `^(node:|(${builtinModules.join('|')})(/|$))`;
const ELECTRON = '^electron(/|$)';

/**
 * @typedef {{ regex: string, message: string }} Forbidden
 * @typedef {{ name: string, importNames?: string[], message: string }} ForbiddenPath
 * @typedef {{ files: string[], forbid: Forbidden[], paths?: ForbiddenPath[], source?: boolean }} Layer
 */

/** @type {Forbidden} */
const NO_ELECTRON = {
  regex: ELECTRON,
  message:
    'Only main/electron/electron-platform.ts (and the preload) import electron: add what you need to the platform port (main/electron/platform.ts).',
};

/** What a shell must not import. @type {Forbidden[]} */
const SHELL_FORBID = [
  {
    regex: naming(['renderer', 'extension', ...NOT_SOURCE]),
    message: 'A shell must not import renderer/: the window talks to it through app/ only.',
  },
  {
    regex: '^\\.{1,2}/(.*/)?engine/(?!index(\\.(ts|js|mts|mjs))?$)',
    message: 'A shell may import the engine only through main/engine/index.ts.',
  },
];

/** Every layer and what its files must not import. Later entries win for the same file. */
/** @type {Layer[]} */
const LAYERS = [
  {
    // Everything else (tests, scripts, benchmarks): only the desktop shell uses electron.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    forbid: [NO_ELECTRON],
    source: false,
  },
  {
    files: ['app/**/*.ts'],
    forbid: [
      {
        regex: packageOtherThan(['zod']),
        message:
          'app/ may import only files inside app/ and zod: it is the contract every layer shares.',
      },
      {
        regex: naming(['main', 'renderer', 'extension', ...NOT_SOURCE]),
        message:
          'app/ may import only files inside app/ and zod: it is the contract every layer shares.',
      },
    ],
  },
  {
    files: ['main/engine/**/*.ts'],
    forbid: [
      { regex: ELECTRON, message: 'main/engine must not import electron: it runs in plain Node.' },
      {
        regex: naming(['renderer', 'extension', ...NOT_SOURCE]),
        message: 'main/engine must not import renderer/ (or anything outside the source layers).',
      },
      {
        regex: naming(SHELLS),
        message:
          'main/engine must not import a shell (main/electron, server, cli, host, native-host).',
      },
    ],
  },
  {
    files: SHELLS.map((shell) => `main/${shell}/**/*.ts`),
    forbid: [NO_ELECTRON, ...SHELL_FORBID],
  },
  {
    // The desktop shell talks to Electron through its platform port: one adapter imports
    // electron (never ipcRenderer, which stays in the preload), and the preload.
    files: ['main/electron/electron-platform.ts', 'main/electron/preload.ts'],
    forbid: SHELL_FORBID,
    paths: [{ name: '@electron/remote', message: 'Ferry never uses @electron/remote.' }],
  },
  {
    files: ['main/electron/electron-platform.ts'],
    forbid: SHELL_FORBID,
    paths: [
      {
        name: 'electron',
        importNames: ['ipcRenderer'],
        message: 'Only main/electron/preload.ts may use ipcRenderer, and never expose it.',
      },
      { name: '@electron/remote', message: 'Ferry never uses @electron/remote.' },
    ],
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    forbid: [
      {
        regex: naming(['main', 'extension', ...NOT_SOURCE]),
        message: "renderer/ must not import main/: use the client from app/'s contract.",
      },
      {
        regex: NODE_BUILTIN,
        message: 'renderer/ must not import Node built-ins: it runs in a browser.',
      },
      {
        regex: ELECTRON,
        message: 'renderer/ must not import electron: use window.ferry from the preload.',
      },
    ],
  },
  {
    files: ['extension/**/*.ts'],
    forbid: [
      {
        regex: packageOtherThan(['zod']),
        message:
          'extension/ may import only extension/, app/ and zod: it reaches Ferry through the native host.',
      },
      {
        regex: naming(['main', 'renderer', ...NOT_SOURCE]),
        message:
          'extension/ may import only extension/, app/ and zod: it reaches Ferry through the native host.',
      },
    ],
  },
];

/**
 * A regex as an esquery attribute selector can hold it: esquery ends a regex at the first
 * slash, so slashes are written as \x2F.
 */
const selectorRegex = (/** @type {string} */ regex) => regex.replaceAll('/', '\\x2F');

/**
 * The ESLint configs of LAYERS: no-restricted-imports for import/export declarations, and
 * no-restricted-syntax for what that rule does not see (import() and `typeof import()`), with
 * the same patterns. An import() must name a plain string, so the rules can read it.
 */
const LAYER_BOUNDARIES = LAYERS.map(({ files, forbid, paths = [], source = true }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { paths, patterns: forbid.map(({ regex, message }) => ({ regex, message })) },
    ],
    'no-restricted-syntax': [
      'error',
      ...(source
        ? [
            {
              selector: 'ImportExpression[source.type!="Literal"]',
              message: 'import() needs a plain string specifier, so the layer rules can check it.',
            },
          ]
        : []),
      ...forbid.flatMap(({ regex, message }) => [
        { selector: `ImportExpression[source.value=/${selectorRegex(regex)}/]`, message },
        { selector: `TSImportType[argument.literal.value=/${selectorRegex(regex)}/]`, message },
      ]),
    ],
  },
}));

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
    },
  },
  ...LAYER_BOUNDARIES,
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
