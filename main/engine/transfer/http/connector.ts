import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import { parseCertFingerprint } from '../../../../app/index.js';

/**
 * How Ferry opens sockets: plain TCP, or TLS checked against the trusted certificates.
 *
 * Node's own check (`rejectUnauthorized`) can only pass or fail; Ferry makes the TLS
 * handshake without it and judges the result itself, so that (1) a job can trust one
 * self-signed server by the SHA-256 fingerprint of its certificate, never by a global
 * "insecure" switch, and (2) the error for an untrusted certificate names that fingerprint, so
 * the user can pin it. Nothing is sent on a socket before it passes.
 */

/** Certificates a connection trusts beyond the system's roots. */
export interface TrustOptions {
  /**
   * Extra CA certificates (PEM text) from the settings, or null; asked at every new
   * connection, so a changed setting applies to the next connection without a restart.
   */
  readonly extraCa: () => string | null;
  /** Certificates the job trusts whatever their issuer (normalised fingerprints). */
  readonly pinned: readonly string[];
}

/** Options of `createConnector`. */
export interface ConnectorOptions {
  readonly timeoutMs: number;
  /** Offer HTTP/2 by ALPN (the server decides; HTTP/1.1 otherwise). */
  readonly allowH2: boolean;
  readonly trust: TrustOptions;
  /** Called with each socket that passed, before any request is written on it. */
  readonly onConnected?: (socket: TLSSocket | null) => void;
}

/** Node's connect callback form, as undici calls a connector. */
type Connect = buildConnector.connector;

/**
 * A connector for undici Clients: TCP for http, TLS judged by `options.trust` for https.
 *
 * The system's roots (plus NODE_EXTRA_CA_CERTS, which Node adds to them) are used unless the
 * settings add CA certificates; Node then needs the whole list, so the roots are repeated.
 */
export function createConnector(options: ConnectorOptions): Connect {
  let built: Connect | null = null;
  let builtFor: string | null | undefined;
  const connectorFor = (ca: string | null): Connect => {
    if (built === null || builtFor !== ca) {
      built = buildConnector({
        timeout: options.timeoutMs,
        allowH2: options.allowH2,
        rejectUnauthorized: false,
        // A resumed TLS session shows no peer certificate, so a pin could not be checked on
        // a reconnection: a connector that pins certificates does full handshakes only.
        ...(options.trust.pinned.length > 0 ? { maxCachedSessions: 0 } : {}),
        ...(ca === null ? {} : { ca: [...rootCertificates, ...environmentCa(), ca] }),
      });
      builtFor = ca;
    }
    return built;
  };
  return (opts, callback) => {
    const https = opts.protocol === 'https:';
    const connect = connectorFor(https ? options.trust.extraCa() : null);
    connect(opts, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      if (!https) {
        options.onConnected?.(null);
        callback(null, socket);
        return;
      }
      const tls = socket as TLSSocket;
      const refusal = judgeCertificate(tls, options.trust.pinned);
      if (refusal !== null) {
        tls.destroy();
        callback(refusal, null);
        return;
      }
      options.onConnected?.(tls);
      callback(null, tls);
    });
  };
}

/** An untrusted certificate, with the code Node gave and the certificate's fingerprint. */
export class UntrustedCertificate extends Error {
  constructor(
    readonly code: string,
    readonly fingerprint: string | null,
    reason: string,
  ) {
    super(
      fingerprint === null
        ? `certificate not trusted: ${reason}`
        : `certificate not trusted: ${reason}; its fingerprint is ${fingerprint}`,
    );
    this.name = 'UntrustedCertificate';
  }
}

/** Null when the handshake's certificate is trusted (by a CA or by a pin), else why not. */
function judgeCertificate(
  socket: TLSSocket,
  pinned: readonly string[],
): UntrustedCertificate | null {
  if (socket.authorized) return null;
  const raw = socket.getPeerCertificate().fingerprint256;
  const fingerprint = typeof raw === 'string' ? parseCertFingerprint(raw) : null;
  if (fingerprint !== null && pinned.includes(fingerprint)) return null;
  // Node sets authorizationError to the verifier's code (a string) despite its typing.
  const reason: unknown = socket.authorizationError;
  const code = typeof reason === 'string' ? reason : (reason as Error).message;
  return new UntrustedCertificate(code, fingerprint, certificateReason(code));
}

function certificateReason(code: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'the server sent a self-signed certificate';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'it was issued by a certificate authority that is not trusted here';
    case 'CERT_HAS_EXPIRED':
      return 'the certificate has expired';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'the certificate is for another host name';
    default:
      return code;
  }
}

let environmentCaCache: string[] | null = null;

/**
 * NODE_EXTRA_CA_CERTS of this process: Node adds it to the default roots, which an explicit
 * `ca` list replaces, so it is read once here to keep it when the settings add CAs.
 */
function environmentCa(): string[] {
  if (environmentCaCache !== null) return environmentCaCache;
  environmentCaCache = [];
  const path = process.env.NODE_EXTRA_CA_CERTS;
  if (path !== undefined && path !== '') {
    try {
      environmentCaCache = [readFileSync(path, 'utf8')];
    } catch {
      environmentCaCache = [];
    }
  }
  return environmentCaCache;
}

/**
 * Wraps another connector (a proxy tunnel's) so the TLS socket it returns is judged by the
 * same trust rules; its TLS must be made with `rejectUnauthorized: false`.
 */
export function verifyingConnector(connect: Connect, trust: TrustOptions): Connect {
  return (opts, callback) => {
    connect(opts, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      if (opts.protocol !== 'https:') {
        callback(null, socket);
        return;
      }
      const tls = socket as TLSSocket;
      const refusal = judgeCertificate(tls, trust.pinned);
      if (refusal !== null) {
        tls.destroy();
        callback(refusal, null);
        return;
      }
      callback(null, tls);
    });
  };
}
