import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * TEST-ONLY certificates, generated with the openssl command when a test starts (nothing
 * secret is committed): a certificate authority, a server certificate it signed for
 * 127.0.0.1 / localhost, and a self-signed server certificate. Keys are P-256 (fast to make).
 */

/** A key and certificate in PEM, with the certificate's SHA-256 fingerprint. */
export interface TestCert {
  readonly key: string;
  readonly cert: string;
  /** As Ferry stores pins: `sha256:` and 64 lower-case hex digits. */
  readonly fingerprint: string;
}

/** What `makeTestCa` produced; its folder is removed by `cleanup`. */
export interface TestCa {
  /** The CA's certificate (PEM) and the file that holds it. */
  readonly caPem: string;
  readonly caPath: string;
  /** Signed by the CA, for 127.0.0.1 and localhost. */
  readonly server: TestCert;
  /** Signed by itself, for 127.0.0.1 and localhost. */
  readonly selfSigned: TestCert;
  cleanup(): void;
}

const SAN = 'subjectAltName=IP:127.0.0.1,DNS:localhost';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function certOf(dir: string, keyFile: string, certFile: string): TestCert {
  const cert = readFileSync(join(dir, certFile), 'utf8');
  const hex = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
  return { key: readFileSync(join(dir, keyFile), 'utf8'), cert, fingerprint: `sha256:${hex}` };
}

/** Generates a test CA and two server certificates in a temporary folder. */
export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-test-ca-'));
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, [
    'req',
    '-x509',
    ...key,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Ferry TEST-ONLY CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(dir, [
    'req',
    '-new',
    ...key,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(join(dir, 'server.ext'), `${SAN}\nbasicConstraints=CA:FALSE\n`);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  openssl(dir, [
    'req',
    '-x509',
    ...key,
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    SAN,
  ]);
  return {
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caPath: join(dir, 'ca.pem'),
    server: certOf(dir, 'server.key', 'server.pem'),
    selfSigned: certOf(dir, 'self.key', 'self.pem'),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
