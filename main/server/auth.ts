import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../app/index.js';
import { RPC_PROTOCOL, RPC_TOKEN_PROTOCOL_PREFIX } from '../../app/wire.js';

/** Name of the token file inside the data directory. */
export const TOKEN_FILE = 'rpc-token';

/** Bytes of randomness in a token (64 hex digits). */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Reads the server's access token from `<dataDir>/rpc-token`, creating it on first run.
 *
 * The file must be a regular file owned by this user and readable by nobody else (mode 0600).
 * A file that fails any of these checks, or that holds no well-formed token, is replaced by a
 * fresh token rather than re-chmodded: a token another user could read may already have
 * leaked, so keeping it would only hide the problem. Clients holding the old token get 401
 * and must read the new one. (On Windows, POSIX modes mean nothing and are not checked; the
 * data directory's ACL, inherited from the user profile, protects the file.)
 */
export function loadOrCreateToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  const existing = readTrustedToken(path);
  if (existing !== null) return existing;
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  writePrivateFileSync(path, `${token}\n`);
  return token;
}

/** The token in `path` if the file is private, ours and well-formed; null otherwise. */
function readTrustedToken(path: string): string | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw tokenError(path, error);
  }
  if (!stat.isFile()) {
    // A symlink or a folder in place of the token: never follow it, never trust it.
    rmSync(path, { recursive: true, force: true });
    return null;
  }
  if (process.platform !== 'win32') {
    const uid = process.getuid?.();
    if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0) return null;
  }
  const token = readFileSync(path, 'utf8').trim();
  return TOKEN_PATTERN.test(token) ? token : null;
}

/** Writes a file readable only by its owner, atomically (temporary file, then rename). */
function writePrivateFileSync(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  try {
    // 'wx' refuses to follow a planted symlink; the mode applies from the first byte on.
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    // The umask cannot widen 0600, but a chmod makes the intent explicit and portable.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw tokenError(path, error);
  }
}

function tokenError(path: string, cause: unknown): FerryError {
  return new FerryError(
    'DISK_ACCESS_DENIED',
    'LOCAL_FILE',
    `Cannot read or create the access token file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

/** The subprotocols a WebSocket upgrade offered (`Sec-WebSocket-Protocol`, comma-separated). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.length > 0);
}

/** Whether the offered subprotocols include the wire protocol this server speaks. */
export function offersWireProtocol(protocols: readonly string[]): boolean {
  return protocols.includes(RPC_PROTOCOL);
}

/**
 * Whether the offered subprotocols carry `token`.
 *
 * Both sides are hashed before the comparison, so `timingSafeEqual` always compares 32 bytes
 * and the time taken tells nothing about the token, not even its length.
 */
export function presentsToken(protocols: readonly string[], token: string): boolean {
  const expected = sha256(token);
  let found = false;
  for (const protocol of protocols) {
    if (!protocol.startsWith(RPC_TOKEN_PROTOCOL_PREFIX)) continue;
    const candidate = sha256(protocol.slice(RPC_TOKEN_PROTOCOL_PREFIX.length));
    // No early exit: every offered token is compared.
    if (timingSafeEqual(candidate, expected)) found = true;
  }
  return found;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
