import { FerryError } from './errors.js';
import type { FerryErrorShape } from './errors.js';
import type { JobDetails } from './contract.js';
import type { JobErrorInfo, JobFileInfo, JobInfo, NotifyCmdLine } from './model/job.js';
import type { ProxySettings } from './model/proxy.js';

/**
 * Secrets leave Ferry masked. The engine keeps the real values (it needs them to transfer);
 * everything it hands out for display (RPC results and events, the CLI's output, the window,
 * logs) shows `***` instead of: the password of a URL's userinfo (a proxy entry, a remote
 * name, a URL quoted in a message), and the value of a header whose name carries a secret.
 *
 * A client that reads a job, edits one property and writes the others back sends those masked
 * values back: `restoreMaskedHeaders` and `restoreMaskedProxy` put the real values back in
 * (the same header name, the same proxy user and host), and refuse a masked value that has
 * nothing to stand for, so `***` is never stored as a password.
 */

/** What a secret is shown as. */
export const MASK = '***';

/**
 * Header names whose values are secrets (lower case). Names of the same style are caught by
 * SECRET_NAME_PARTS too: X-Api-Key, X-Auth-Token, Private-Token, X-Amz-Security-Token…
 */
export const SECRET_HEADER_NAMES: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'private-token',
  'x-csrf-token',
];

/** Parts of a header name (between dashes or underscores) that mark it as secret. */
const SECRET_NAME_PARTS =
  /(?:^|[-_])(?:api[-_]?key|apikey|token|secret|password|passwd|auth|session|cookie|credentials?)(?:$|[-_])/i;

/** Whether a header's value is a secret, by its name. */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADER_NAMES.includes(lower) || SECRET_NAME_PARTS.test(lower);
}

/** A "Name: value" header line with its value masked when the name is a secret one. */
export function maskHeaderLine(line: string): string {
  const colon = line.indexOf(':');
  if (colon <= 0) return line;
  const name = line.slice(0, colon);
  return isSecretHeaderName(name) ? `${name}: ${MASK}` : line;
}

/**
 * The password of a URL's userinfo, or of a `user:password@host` proxy entry without a scheme,
 * as `***`; the user name stays (it says which account, and is not a secret).
 */
const USERINFO = /((?:[a-z][a-z0-9+.-]*:\/\/)|^)([^\s:@/?#]*):([^\s@/?#]*)@/gi;

/** `http://user:***@host/…` for a URL (or proxy entry) with a password; others as they are. */
export function maskUrl(url: string): string {
  return url.replace(USERINFO, (all, scheme: string, user: string, password: string) =>
    password === '' && scheme === '' ? all : `${scheme}${user}:${MASK}@`,
  );
}

/** URLs with a password anywhere in a text (an error message, a log line). */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*):([^\s@/?#]*)@/gi;
/** "Authorization: …" and the like inside a text, up to the end of the line or a quote. */
const HEADER_IN_TEXT = /\b([A-Za-z0-9-]+)(:\s*)([^\r\n'"]+)/g;

/** A text with every URL password and every secret header value in it masked. */
export function maskText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (_all, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
    .replace(HEADER_IN_TEXT, (all, name: string, separator: string) =>
      isSecretHeaderName(name) && !/^\/\//.test(all.slice(name.length + 1))
        ? `${name}${separator}${MASK}`
        : all,
    );
}

/** Proxy settings with every proxy entry's password masked. */
export function maskProxySettings(proxy: ProxySettings): ProxySettings {
  return { ...proxy, proxyList: proxy.proxyList.map(maskUrl) };
}

function maskCmdLine(cmdLine: NotifyCmdLine | null): NotifyCmdLine | null {
  return cmdLine === null
    ? null
    : { program: maskText(cmdLine.program), args: cmdLine.args.map(maskText) };
}

/** An error as shown: URLs and header values in its message masked. */
export function maskErrorInfo(error: JobErrorInfo): JobErrorInfo {
  return { ...error, message: maskText(error.message) };
}

/** An error envelope as sent to a client. */
export function maskErrorShape(error: FerryErrorShape): FerryErrorShape {
  return { ...error, message: maskText(error.message) };
}

/** A file as shown: its remote URL's password masked. */
export function maskFileInfo(file: JobFileInfo): JobFileInfo {
  return { ...file, remoteName: maskUrl(file.remoteName) };
}

/** A job as shown: header values, proxy and URL passwords, and messages masked. */
export function maskJobInfo<T extends JobInfo>(job: T): T {
  return {
    ...job,
    notifyCmdLine: maskCmdLine(job.notifyCmdLine),
    proxy: maskProxySettings(job.proxy),
    customHeaders: job.customHeaders.map(maskHeaderLine),
    error: job.error === null ? null : maskErrorInfo(job.error),
  };
}

/** A job with its files and error log as shown. */
export function maskJobDetails(job: JobDetails): JobDetails {
  return {
    ...maskJobInfo(job),
    files: job.files.map(maskFileInfo),
    errors: job.errors.map(maskErrorInfo),
  };
}

function maskedValue(line: string): boolean {
  const colon = line.indexOf(':');
  return colon > 0 && line.slice(colon + 1).trim() === MASK;
}

/**
 * Header lines to store, with each `Name: ***` of a secret header replaced by the job's current
 * line of that name (the n-th masked line of a name by the n-th current one). A masked value
 * with no current line to stand for is refused (INPUT_INVALID), never stored.
 */
export function restoreMaskedHeaders(
  next: readonly string[],
  current: readonly string[],
): string[] {
  const used = new Map<string, number>();
  return next.map((line) => {
    if (!maskedValue(line)) return line;
    const name = line.slice(0, line.indexOf(':')).trim().toLowerCase();
    if (!isSecretHeaderName(name)) return line;
    const same = current.filter(
      (each) =>
        each
          .slice(0, Math.max(0, each.indexOf(':')))
          .trim()
          .toLowerCase() === name,
    );
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    const real = same[n];
    if (real === undefined) {
      throw new FerryError(
        'INPUT_INVALID',
        'GENERAL_QUEUE_MANAGER',
        `Header '${line.slice(0, line.indexOf(':'))}' has the masked value ${MASK}: send its real value (${MASK} only stands for a value Ferry already has)`,
      );
    }
    return real;
  });
}

/**
 * Proxy settings to store, with each masked proxy entry (`user:***@host`) replaced by the
 * current entry it masks. An entry whose masked form matches none is refused (INPUT_INVALID).
 */
export function restoreMaskedProxy<P extends ProxySettings>(next: P, current: ProxySettings): P {
  if (!next.proxyList.some((entry) => entry.includes(`:${MASK}@`))) return next;
  return {
    ...next,
    proxyList: next.proxyList.map((entry) => {
      if (!entry.includes(`:${MASK}@`)) return entry;
      const real = current.proxyList.find((each) => each !== entry && maskUrl(each) === entry);
      if (real === undefined) {
        throw new FerryError(
          'INPUT_INVALID',
          'GENERAL_QUEUE_MANAGER',
          `Proxy '${entry}' has the masked password ${MASK}: send its real password (${MASK} only stands for a password Ferry already has)`,
        );
      }
      return real;
    }),
  };
}

/**
 * A remote URL to store: the current one when `next` is exactly its masked form (a client
 * writing back what it was shown), else `next`; a masked password standing for nothing is
 * refused.
 */
export function restoreMaskedUrl(next: string, current: string): string {
  if (!next.includes(`:${MASK}@`)) return next;
  if (maskUrl(current) === next) return current;
  throw new FerryError(
    'INPUT_INVALID',
    'GENERAL_QUEUE_MANAGER',
    `remoteUrl '${next}' has the masked password ${MASK}: send the real one`,
  );
}

/** A log line: the message and what caused it (an Error's stack), with secrets masked. */
export function maskedLogLine(message: string, cause?: unknown): string {
  if (cause === undefined) return maskText(message);
  const detail =
    cause instanceof Error
      ? (cause.stack ?? cause.message)
      : typeof cause === 'string'
        ? cause
        : describe(cause);
  return maskText(`${message} ${detail}`);
}

function describe(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : typeof value;
  } catch {
    return typeof value;
  }
}
