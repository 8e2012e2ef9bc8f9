/**
 * Rules for text that arrives from outside (RPC, IPC, the CLI, a browser) and is stored,
 * printed or passed to the OS: the contract's schemas apply them, so every shell refuses the
 * same input with the same words.
 *
 * Pure string functions: `app/` has no `node:path`, so paths are handled as POSIX or Windows
 * strings by hand.
 */

/** Longest name of one path component, in bytes of UTF-8: Linux, macOS and Windows all accept 255. */
export const MAX_PATH_COMPONENT_BYTES = 255;

/** Whether `text` holds a NUL character (which C APIs, exec and HTTP all cut or refuse). */
export function hasNul(text: string): boolean {
  return text.includes('\0');
}

/**
 * Whether `text` holds a control character a header value must not carry (RFC 9110 5.5:
 * field values are visible characters, spaces and tabs).
 */
export function hasHeaderControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\0-\x08\x0a-\x1f\x7f]/.test(text);
}

/** Bidirectional formatting characters: they make a name read differently than it is. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without its bidirectional formatting characters (U+202E RIGHT-TO-LEFT OVERRIDE…). */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** Whether `text` holds a bidirectional formatting character. */
export function hasBidiControl(text: string): boolean {
  return new RegExp(BIDI_CONTROLS.source).test(text);
}

/** Folders of pseudo-files and devices: a download there would write to the kernel, not a file. */
const DEVICE_FOLDERS = ['/dev', '/proc', '/sys'] as const;

/** Windows device names, reserved in every folder and with any extension. */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;

/**
 * An absolute POSIX path with `.` and `..` resolved and repeated separators collapsed, so that
 * `/tmp/../dev/null` is seen as `/dev/null`; null for a relative path.
 */
export function normalizePosixPath(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * What is wrong with a local file name, in words that follow the field's name, or null.
 *
 * Catches what the OS would report with a raw or misleading error (NUL: Node's
 * ERR_INVALID_ARG_VALUE; a component over 255 bytes: ENAMETOOLONG), and paths that name a
 * device or pseudo-file rather than a file: under /dev, /proc or /sys, or a Windows device name
 * such as `NUL` or `COM1.txt`. Whether the folder exists and is writable is the engine's check.
 */
export function localNameProblem(path: string): string | null {
  if (hasNul(path)) return 'must not contain a NUL byte';
  const components = path.split(/[\\/]/);
  if (components.some((part) => utf8Length(part) > MAX_PATH_COMPONENT_BYTES)) {
    return `has a file or folder name longer than ${MAX_PATH_COMPONENT_BYTES} bytes`;
  }
  const posix = normalizePosixPath(path);
  if (posix !== null) {
    const device = DEVICE_FOLDERS.find((dir) => posix === dir || posix.startsWith(`${dir}/`));
    if (device !== undefined) {
      return `must not be under ${device} (devices and pseudo-files are not files)`;
    }
  }
  const name = components[components.length - 1] ?? '';
  if (WINDOWS_DEVICE_NAME.test(name.trim())) {
    return `must not be a device name ('${name}')`;
  }
  return null;
}

/** Bytes of `text` in UTF-8 (TextEncoder is in ES2022's lib only through the DOM, so count). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
