/**
 * Reading thrown values: cause chains, codes and messages, and safe URLs for messages.
 *
 * undici and Node wrap the socket or syscall error that matters (`cause`, AggregateError's
 * `errors`), so classification walks the whole chain instead of trusting the outer error.
 */

/** The parts of one error in a chain that classification looks at. */
export interface ErrorLike {
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** The error, its causes and aggregated errors, outermost first (bounded against cycles). */
export function errorChain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 16) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const record = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    out.push({
      code: typeof record.code === 'string' ? record.code : undefined,
      message: typeof record.message === 'string' ? record.message : undefined,
    });
    if (record.cause !== undefined) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]));
  }
  return out;
}

/** The first `code` found along the chain (the outermost that has one). */
export function firstCode(err: unknown): string | undefined {
  return errorChain(err).find((e) => e.code !== undefined)?.code;
}

/** The innermost non-empty message: usually the socket's or the syscall's own words. */
export function innermostMessage(err: unknown): string {
  const chain = errorChain(err);
  for (let i = chain.length - 1; i >= 0; i--) {
    const message = chain[i]?.message;
    if (message !== undefined && message !== '') return readableDetail(message, chain[i]?.code);
  }
  return '';
}

/** OpenSSL's `<thread>:error:<hex>:<library>:<function>:<reason>:<file>:<line>:` format. */
const OPENSSL_LINE = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/;

/**
 * A message as one readable line for inclusion in ours: its line breaks and indentation
 * folded, an OpenSSL error reduced to its reason ("wrong version number" rather than a dump
 * with a source path), and Node's `connect ECONNREFUSED 127.0.0.1:9` without the code, which
 * our message already names.
 */
export function readableDetail(message: string, code?: string): string {
  const line = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const ssl = OPENSSL_LINE.exec(line);
  if (ssl?.[1] !== undefined) return ssl[1].trim();
  if (code !== undefined) {
    const syscall = /^(\w+) ([A-Z][A-Z0-9_]+)(?: (.*))?$/.exec(line);
    if (syscall?.[2] === code) return [syscall[1], syscall[3]].filter(Boolean).join(' ');
  }
  return line;
}

/** The message of anything thrown, for a message of our own. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A URL as shown in messages: credentials are replaced, everything else is kept. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return String(url);
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  const copy = new URL(parsed.href);
  copy.username = '***';
  copy.password = '';
  return copy.href;
}
