// Fails when a layer imports across a boundary that docs/architecture.md forbids.
//
//   app/                         only files inside app/ and the package zod
//   main/engine/                 no electron, no renderer/, no shell (main/electron|server|cli)
//   renderer/                    no main/, no Node built-ins, no electron
//   main/electron|server|cli/    no renderer/; the engine only through main/engine/index.ts
//   main/native-host/            the same (it is a client of Ferry's RPC, like the CLI)
//   extension/                   only extension/, app/ and zod: it runs in the browser and
//                                reaches Ferry only through the native host
//
// Usage: node scripts/check-boundaries.mjs [rootDir]   (rootDir defaults to the repo root)
// Prints `file:line: message` per violation and exits 1, or one `boundaries ok` line.
// Plain Node, no dependencies, so it runs before anything is built.

// process, console and URL are imported rather than taken as globals, so the script lints
// clean under a config that declares no Node globals.
import console from 'node:console';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

/** Folders whose source files are checked, relative to the root. Missing ones are skipped. */
export const CHECKED_DIRS = ['app', 'main', 'renderer', 'extension'];

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts'];
/** Layers over the engine: the three shells and the host they share (main/host). */
const SHELLS = ['electron', 'server', 'cli', 'host', 'native-host'];
const BUILTINS = new Set(builtinModules);

/**
 * @typedef {object} ImportRef
 * @property {string | null} specifier the module specifier, or null when it is not a literal
 * @property {number} line 1-based line of the specifier
 * @property {'static' | 'dynamic'} kind 'static' (import/export … from, side-effect import) or 'dynamic'
 */

/**
 * @typedef {object} Violation
 * @property {string} file path relative to the root, with forward slashes
 * @property {number} line 1-based line
 * @property {string | null} specifier the offending specifier (null for a non-literal one)
 * @property {string} message what is wrong, naming the rule
 */

/**
 * Blanks comments and the contents of string, template and regex literals.
 *
 * The result has the same length as the input and keeps every newline, so an offset in it is
 * the same offset in the source. Quotes and backticks stay, so literals remain recognisable;
 * code inside `${…}` is kept. This is what lets a regex find imports without matching
 * commented-out imports or import-like text inside strings.
 *
 * @param {string} source
 * @returns {string}
 */
export function maskSource(source) {
  const out = source.split('');
  const n = source.length;
  /** Brace depth at which each open `${` returns to its template literal. */
  const templateStack = [];
  let depth = 0;
  let i = 0;
  /** Last significant code character before i, to tell a regex literal from a division. */
  let prev = '';
  let prevWord = '';

  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };

  const scanTemplate = () => {
    // i is just after a backtick or a closing `}` of `${…}`.
    const start = i;
    while (i < n) {
      const c = source[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        blank(start, i);
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        blank(start, i);
        templateStack.push(depth);
        depth++;
        i += 2;
        return;
      } else {
        i++;
      }
    }
    blank(start, n);
  };

  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, n));
      i = j + 1;
      prev = c;
      prevWord = '';
    } else if (c === '`') {
      i++;
      scanTemplate();
      prev = '`';
      prevWord = '';
    } else if (c === '/' && startsRegex(prev, prevWord)) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n') {
        const r = source[j];
        if (r === '\\') j++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        j++;
      }
      blank(i + 1, Math.min(j, n));
      i = j + 1;
      prev = '/';
      prevWord = '';
    } else if (c === '}' && templateStack.length > 0 && templateStack.at(-1) === depth - 1) {
      templateStack.pop();
      depth--;
      i++;
      scanTemplate();
      prev = '`';
      prevWord = '';
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (/[A-Za-z0-9_$]/.test(c)) {
        prevWord = /[A-Za-z0-9_$]/.test(source[i - 1] ?? '') ? prevWord + c : c;
        prev = c;
      } else if (!/\s/.test(c)) {
        prev = c;
        prevWord = '';
      }
      i++;
    }
  }
  return out.join('');
}

const REGEX_AFTER_KEYWORD = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
  'instanceof',
]);

/**
 * Whether a `/` after this character (or keyword) starts a regex literal rather than a division.
 *
 * @param {string} prev
 * @param {string} prevWord
 */
function startsRegex(prev, prevWord) {
  if (prev === '') return true;
  if (prevWord !== '') return REGEX_AFTER_KEYWORD.has(prevWord);
  return '(,=:[!&|?{};+-*%<>~^'.includes(prev);
}

// `from '…'` ends every `import … from` and `export … from`, including `import type`,
// multi-line and `export * as ns from`; after masking, nothing else in valid code looks like it.
const FROM_RE = /(?<![\w$.])from\s*(['"])/g;
// Side-effect import: `import './x.js'`.
const SIDE_EFFECT_RE = /(?<![\w$.])import\s*(['"])/g;
// `import(…)` (also in types: `typeof import('x')`) and `require(…)` (incl. `import x = require`).
const CALL_RE = /(?<![\w$.])(import|require)\s*\(\s*/g;

/**
 * Finds the module specifiers a TypeScript/JavaScript source imports or re-exports.
 *
 * Handles `import`, `import type`, multi-line imports, side-effect imports, `export … from`,
 * `import()` and `require()`. Ignores comments and text inside strings. An `import()` whose
 * argument is not a plain string literal is returned with `specifier: null`, since its target
 * cannot be checked; a `require()` with a non-literal argument is skipped.
 *
 * @param {string} source
 * @returns {ImportRef[]}
 */
export function findImports(source) {
  const masked = maskSource(source);
  /** @type {ImportRef[]} */
  const refs = [];
  const lineStarts = [0];
  for (let k = 0; k < source.length; k++) if (source[k] === '\n') lineStarts.push(k + 1);
  /** 1-based line of an offset: the number of line starts at or before it. */
  const lineAt = (offset) => {
    let lo = 0;
    let hi = lineStarts.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid;
    }
    return lo + 1;
  };
  /** Reads the literal whose opening quote is at `open`; null if it is not a closed literal. */
  const literalAt = (open) => {
    const quote = masked[open];
    const close = masked.indexOf(quote, open + 1);
    if (close === -1) return null;
    const text = source.slice(open + 1, close);
    if (quote === '`' && text.includes('${')) return null;
    return text;
  };

  for (const re of [FROM_RE, SIDE_EFFECT_RE]) {
    for (const m of masked.matchAll(re)) {
      const open = m.index + m[0].length - 1;
      const specifier = literalAt(open);
      if (specifier !== null) refs.push({ specifier, line: lineAt(open), kind: 'static' });
    }
  }
  for (const m of masked.matchAll(CALL_RE)) {
    const open = m.index + m[0].length;
    const quote = masked[open];
    const isLiteral = quote === "'" || quote === '"' || quote === '`';
    const specifier = isLiteral ? literalAt(open) : null;
    // A non-literal `require(…)` is more likely a method named require than a module load
    // (ESM code has no bare require), so only a non-literal `import(…)` is reported.
    if (specifier === null && m[1] === 'require') continue;
    refs.push({ specifier, line: lineAt(isLiteral ? open : m.index), kind: 'dynamic' });
  }
  return refs.sort((a, b) => a.line - b.line);
}

/**
 * Classifies a specifier as seen from a file.
 *
 * @param {string} file importing file, relative to the root, forward slashes
 * @param {string} specifier
 * @returns {{ kind: 'relative', path: string } | { kind: 'builtin' } | { kind: 'package', name: string }}
 */
function classify(file, specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    // An absolute path stays absolute, so it is never "inside" a root-relative folder.
    const path = specifier.startsWith('/')
      ? specifier
      : posix.normalize(posix.join(posix.dirname(file), specifier));
    return { kind: 'relative', path };
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0] ?? '')) {
    return { kind: 'builtin' };
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return { kind: 'package', name };
}

/** True when a root-relative path is the folder `dir` or inside it. */
const isUnder = (path, dir) => path === dir || path.startsWith(dir + '/');

/** The engine's public entry point, as a specifier may spell it (with or without extension). */
const isEngineIndex = (path) =>
  path === 'main/engine' || /^main\/engine\/index(\.(ts|js|mts|mjs))?$/.test(path);

/**
 * Checks one import against the rule of the layer that holds `file`.
 *
 * @param {string} file importing file, relative to the root, forward slashes
 * @param {string} specifier
 * @returns {string | null} the violation message, or null when the import is allowed
 */
export function checkImport(file, specifier) {
  const target = classify(file, specifier);
  const shown = `'${specifier}'`;

  if (isUnder(file, 'app')) {
    if (target.kind === 'relative' && isUnder(target.path, 'app')) return null;
    if (target.kind === 'package' && target.name === 'zod') return null;
    return `app/ may import only files inside app/ and zod, not ${shown}`;
  }

  if (isUnder(file, 'main/engine')) {
    if (target.kind === 'package' && target.name === 'electron') {
      return `main/engine must not import electron (${shown}); it runs in plain Node`;
    }
    if (target.kind === 'relative' && isUnder(target.path, 'renderer')) {
      return `main/engine must not import renderer/ (${shown})`;
    }
    const shell = SHELLS.find(
      (s) => target.kind === 'relative' && isUnder(target.path, `main/${s}`),
    );
    if (shell) return `main/engine must not import the main/${shell} shell (${shown})`;
    return null;
  }

  if (isUnder(file, 'extension')) {
    if (
      target.kind === 'relative' &&
      (isUnder(target.path, 'extension') || isUnder(target.path, 'app'))
    ) {
      return null;
    }
    if (target.kind === 'package' && target.name === 'zod') return null;
    return `extension/ may import only extension/, app/ and zod, not ${shown}; it reaches Ferry through the native host`;
  }

  if (isUnder(file, 'renderer')) {
    if (target.kind === 'relative' && isUnder(target.path, 'main')) {
      return `renderer/ must not import main/ (${shown}); use the client from app/'s contract`;
    }
    if (target.kind === 'builtin') return `renderer/ must not import Node built-ins (${shown})`;
    if (target.kind === 'package' && target.name === 'electron') {
      return `renderer/ must not import electron (${shown}); use window.ferry from the preload`;
    }
    return null;
  }

  const shell = SHELLS.find((s) => isUnder(file, `main/${s}`));
  if (shell && target.kind === 'relative') {
    if (isUnder(target.path, 'renderer')) {
      return `main/${shell} must not import renderer/ (${shown})`;
    }
    if (isUnder(target.path, 'main/engine') && !isEngineIndex(target.path)) {
      return `main/${shell} may import the engine only through main/engine/index.ts, not ${shown}`;
    }
  }
  return null;
}

/**
 * Lists the checked source files under `dir` (absolute), skipping node_modules and dot folders.
 *
 * @param {string} dir
 * @returns {string[]}
 */
function listSources(dir) {
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) ? [path] : [];
  });
}

/**
 * Checks every .ts/.tsx/.mts file under app/, main/ and renderer/ of `rootDir`.
 *
 * @param {string} rootDir
 * @returns {{ filesChecked: number, violations: Violation[] }}
 */
export function checkBoundaries(rootDir) {
  const root = resolve(rootDir);
  const files = CHECKED_DIRS.flatMap((dir) => listSources(join(root, dir)));
  /** @type {Violation[]} */
  const violations = [];
  for (const abs of files) {
    const file = relative(root, abs).split(sep).join('/');
    for (const ref of findImports(readFileSync(abs, 'utf8'))) {
      const message =
        ref.specifier === null
          ? `cannot check a ${ref.kind} import whose specifier is not a string literal`
          : checkImport(file, ref.specifier);
      if (message !== null) {
        violations.push({ file, line: ref.line, specifier: ref.specifier, message });
      }
    }
  }
  return { filesChecked: files.length, violations };
}

/**
 * Runs the check and reports it on stdout/stderr.
 *
 * @param {string} rootDir
 * @returns {number} the exit code: 0 when clean, 1 on any violation
 */
export function main(rootDir) {
  const { filesChecked, violations } = checkBoundaries(rootDir);
  if (violations.length === 0) {
    console.log(`boundaries ok: ${filesChecked} files checked`);
    return 0;
  }
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  console.error(`boundaries: ${violations.length} violation(s) in ${filesChecked} files checked`);
  return 1;
}

/** Whether this module is the script node was started with (not imported by a test). */
function isEntryPoint() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = main(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
}
