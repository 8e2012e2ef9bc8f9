import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { FerryError } from '../../app/index.js';
import { errorText } from './error-chain.js';

/**
 * The settings' extra CA certificates (`extraCaCertificates`, a PEM file): what
 * NODE_EXTRA_CA_CERTS does for a process, but changeable while Ferry runs. The file is read
 * again when it changes (size or modification time), so replacing it applies to the next
 * connection without a restart, like changing the setting.
 */
export class ExtraCa {
  private cached: { path: string; stamp: string; pem: string } | null = null;

  constructor(private readonly path: () => string) {}

  /** The PEM text to trust, or null when the setting is empty; throws when it is unusable. */
  current(): string | null {
    const path = this.path();
    if (path === '') return null;
    const stamp = fileStamp(path);
    if (this.cached?.path !== path || this.cached.stamp !== stamp) {
      this.cached = { path, stamp, pem: readCaFile(path) };
    }
    return this.cached.pem;
  }
}

function fileStamp(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch (cause) {
    throw unusable(path, `it cannot be read (${errorText(cause)})`, cause);
  }
}

/**
 * Reads and checks a CA file: one or more PEM certificates that OpenSSL accepts. A bad file is
 * refused when the setting is made (INPUT_INVALID, the settings unchanged) and, should it go
 * bad later, fails the transfers that need it with the same message.
 */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (cause) {
    throw unusable(path, `it cannot be read (${errorText(cause)})`, cause);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw unusable(path, 'it holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  try {
    createSecureContext({ ca: pem });
  } catch (cause) {
    throw unusable(path, `OpenSSL refuses it (${errorText(cause)})`, cause);
  }
  return pem;
}

function unusable(path: string, why: string, cause?: unknown): FerryError {
  return new FerryError(
    'INPUT_INVALID',
    'GENERAL_TRANSPORT',
    `The extra CA certificates file ${path} cannot be used: ${why}; fix the file or change the setting extraCaCertificates`,
    cause === undefined ? {} : { cause },
  );
}
