import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../../app/index.js';
import { PRIVATE_FILE_MODE } from '../private-files.js';

/**
 * Seals the secrets the store keeps (proxy lists with their credentials, custom headers such
 * as Authorization or a browser's Cookie, settings) so that ferry.db never holds them in clear.
 *
 * AES-256-GCM with a random 96-bit nonce per value; the key is 32 random bytes in
 * `<data-dir>/secret.key`, mode 0600 (see docs/secrets.md for what this protects against and
 * what it does not).
 */
export interface SecretBox {
  /** The stored form of `text`: `sealed:v1:` and base64 of nonce, tag and ciphertext. */
  seal(text: string): string;
  /** The text a stored value holds: opens a sealed one, returns a legacy clear one as it is. */
  open(stored: string): string;
  /** Whether a stored value is sealed (false for values written by older versions). */
  isSealed(stored: string): boolean;
}

/** The key file's name inside the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

const PREFIX = 'sealed:v1:';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A box sealing with `key` (32 bytes). */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`a secret key has ${KEY_BYTES} bytes`);
  return {
    seal(text) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
        decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (cause) {
        throw new FerryError(
          'STORE_FAILED',
          'GENERAL_QUEUE_MANAGER',
          `A sealed value in the store cannot be opened with ${SECRET_KEY_FILE} (the key file was replaced or the store copied from another data directory)`,
          { cause },
        );
      }
    },
    isSealed(stored) {
      return stored.startsWith(PREFIX);
    },
  };
}

/**
 * The data directory's key: read from `secret.key`, or created there (0600, exclusive create,
 * so a planted symlink is never followed) on first use.
 */
export function loadOrCreateSecretKey(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_KEY_FILE);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat !== undefined) {
    if (!stat.isFile()) {
      throw keyError(path, new Error('it is not a regular file'));
    }
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length === KEY_BYTES) return key;
    if (stat.size > 0) throw keyError(path, new Error(`it does not hold ${KEY_BYTES} hex bytes`));
    // An empty file is what a crash between create and write leaves: nothing was sealed yet.
    rmSync(path);
  }
  const key = randomBytes(KEY_BYTES);
  try {
    const fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
    try {
      writeSync(fd, `${key.toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    throw keyError(path, cause);
  }
  return key;
}

function keyError(path: string, cause: unknown): FerryError {
  return new FerryError(
    'STORE_FAILED',
    'GENERAL_QUEUE_MANAGER',
    `Cannot use the store's key file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}
