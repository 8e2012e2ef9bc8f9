import { createHash, randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { FerryError } from '../../../../app/index.js';
import type { AuthScheme, AuthTarget, JobCredential } from '../../../../app/model/credentials.js';
import { displayUrl } from '../../error-chain.js';
import { parseChallenges } from './challenge.js';
import type { AuthChallenge } from './challenge.js';

/**
 * Answers a server's 401 (or a proxy's 407) with a job's credentials, Basic (RFC 7617) or
 * Digest (RFC 7616), and reuses the answer on the next requests to the same origin.
 *
 * Nothing is sent before a challenge: the first request to an origin goes without
 * credentials, its challenge says which scheme (and, for Digest, which nonce, realm and
 * algorithm) the origin wants; every later request to that origin, on any connection, carries
 * the answer at once (Digest with the next nonce count), so a file fetched over eight
 * connections pays one extra round trip, not eight. A challenge to a request that carried
 * credentials means they were rejected, unless Digest says the nonce was only stale.
 */
export class Authenticator {
  /** What each origin asked for, once it did. */
  private readonly spaces = new Map<string, Space>();

  /**
   * @param target SERVER answers 401 with `Authorization`, PROXY answers 407 with
   *   `Proxy-Authorization`.
   * @param credentials The job's credentials for this target (at most one per scheme).
   * @param cnonce The client nonce of each Digest answer (random; fixed only by tests that
   *   check RFC 7616's worked examples).
   */
  constructor(
    readonly target: AuthTarget,
    private readonly credentials: readonly JobCredential[],
    private readonly cnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  /** Whether the job holds any credentials for this target. */
  get hasCredentials(): boolean {
    return this.credentials.length > 0;
  }

  /**
   * The header value for a request to `url`, or null when its origin has not challenged yet.
   * `method` and the URL's path take part in a Digest answer.
   */
  authorization(method: string, url: URL): string | null {
    const space = this.spaces.get(this.key(url));
    if (space === undefined) return null;
    if (space.kind === 'basic') return space.value;
    return digestAnswer(space, method, this.requestTarget(url), this.cnonce());
  }

  /**
   * Where an answer is reused: the origin for a server (RFC 7617's protection space), the one
   * proxy of the job for a proxy.
   */
  private key(url: URL): string {
    return this.target === 'SERVER' ? url.origin : 'proxy';
  }

  /** The request-target a Digest answer signs: origin-form to a server, absolute to a proxy. */
  private requestTarget(url: URL): string {
    if (this.target === 'SERVER') return `${url.pathname}${url.search}`;
    const absolute = new URL(url.href);
    absolute.hash = '';
    return absolute.href;
  }

  /**
   * A 401/407 came for a request to `url` that carried `sent` (null: no credentials). Returns
   * null when a new attempt with credentials is worth sending (the next `authorization()`
   * gives it), else the error to fail with: no credentials for any scheme offered, a scheme
   * Ferry does not speak, or credentials the origin rejected.
   */
  challenged(
    status: number,
    url: URL,
    header: string | readonly string[] | undefined,
    sent: string | null,
  ): FerryError | null {
    const challenges = parseChallenges(header);
    const key = this.key(url);
    const previous = this.spaces.get(key);
    if (sent !== null && previous !== undefined) {
      if (previous.kind === 'digest' && !sent.includes(`nonce=${quote(previous.nonce)}`)) {
        // Sent with a nonce another request has since replaced: try again with the new one.
        return null;
      }
      const fresh = previous.kind === 'digest' ? staleDigest(challenges, previous) : undefined;
      if (fresh === undefined) {
        this.spaces.delete(key);
        return this.error(
          status,
          url,
          `rejected the job's ${this.describe(previous.credential)}: correct them with ${setCredentialsHint(this.target)}`,
        );
      }
      // Same credentials, new nonce: RFC 7616's stale=true.
      this.spaces.set(key, fresh);
      return null;
    }
    const space = this.choose(challenges);
    if (typeof space === 'string') return this.error(status, url, space);
    this.spaces.set(key, space);
    return null;
  }

  /**
   * The error for a challenge from a host the credentials are not for (a redirect to another
   * host): they are never sent there, so a redirect cannot collect them.
   */
  foreignHost(status: number, url: URL, trustedHost: string): FerryError {
    return this.error(
      status,
      url,
      `asks for credentials; the job's server credentials are only sent to ${trustedHost}, the host its URL names`,
    );
  }

  /** The origin's challenge answered with the first offered scheme the job has credentials for. */
  private choose(challenges: readonly AuthChallenge[]): Space | string {
    const offered: string[] = [];
    for (const challenge of challenges) {
      const realm = challenge.params.get('realm');
      offered.push(`${challenge.scheme}${realm === undefined ? '' : ` realm "${realm}"`}`);
      if (challenge.scheme === 'digest') {
        const credential = this.credentialFor('DIGEST');
        const algorithm = digestAlgorithm(challenge.params.get('algorithm'));
        if (credential !== undefined && algorithm !== null && challenge.params.has('nonce')) {
          return newDigestSpace(credential, challenge, algorithm);
        }
      } else if (challenge.scheme === 'basic') {
        const credential = this.credentialFor('BASIC');
        if (credential !== undefined) {
          const pair = Buffer.from(`${credential.userName}:${credential.password}`, 'utf8');
          return { kind: 'basic', credential, value: `Basic ${pair.toString('base64')}` };
        }
      }
    }
    const who = this.target === 'SERVER' ? 'server' : 'proxy';
    const asks = offered.length === 0 ? 'credentials' : offered.join(', ');
    const held = this.credentials.map((c) => schemeName(c.scheme));
    if (held.length === 0) {
      return `asks for ${asks} and the job has no ${who} credentials: set them with ${setCredentialsHint(this.target)}`;
    }
    return `asks for ${asks} and the job's ${who} credentials are for ${held.join(' and ')} only (Ferry answers Basic and Digest with MD5, SHA-256 or SHA-512-256)`;
  }

  private credentialFor(scheme: AuthScheme): JobCredential | undefined {
    return this.credentials.find((c) => c.scheme === scheme);
  }

  private describe(credential: JobCredential): string {
    const who = this.target === 'SERVER' ? 'server' : 'proxy';
    return `${who} credentials (${schemeName(credential.scheme)}, user '${credential.userName}')`;
  }

  /** HTTP_ACCESS_DENIED: REMOTE_FILE for a server's 401, GENERAL_TRANSPORT for a proxy's 407. */
  private error(status: number, url: URL, why: string): FerryError {
    const reason = STATUS_CODES[status] ?? '';
    const who = this.target === 'SERVER' ? 'the server' : 'the proxy';
    return new FerryError(
      'HTTP_ACCESS_DENIED',
      this.target === 'SERVER' ? 'REMOTE_FILE' : 'GENERAL_TRANSPORT',
      `HTTP ${status}${reason === '' ? '' : ` ${reason}`} for ${displayUrl(url)}: ${who} ${why}`,
      { httpStatus: status },
    );
  }
}

/**
 * How to give a job credentials, for messages: the method, and the CLI command (a CLI user
 * reads the same message in `ferry info`).
 */
export function setCredentialsHint(target: AuthTarget): string {
  return `SetCredentials, target ${target} (ferry setcreds JOB --target ${target.toLowerCase()})`;
}

/** What one origin asked for, answered. */
type Space = BasicSpace | DigestSpace;

interface BasicSpace {
  readonly kind: 'basic';
  readonly credential: JobCredential;
  readonly value: string;
}

interface DigestSpace {
  readonly kind: 'digest';
  readonly credential: JobCredential;
  readonly algorithm: DigestHash;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly qop: 'auth' | 'auth-int' | null;
  readonly userhash: boolean;
  /** Requests answered with this nonce so far (the next nc is one more). */
  count: number;
}

/** A Digest algorithm: its name on the wire, Node's hash, and whether it is a -sess variant. */
interface DigestHash {
  readonly name: string;
  readonly hash: string;
  readonly session: boolean;
}

const DIGEST_HASHES: Readonly<Record<string, string>> = {
  md5: 'md5',
  'sha-256': 'sha256',
  'sha-512-256': 'sha512-256',
};

/** RFC 7616's algorithm parameter (MD5 when absent), or null for one Ferry cannot compute. */
function digestAlgorithm(value: string | undefined): DigestHash | null {
  const name = value ?? 'MD5';
  const lower = name.toLowerCase();
  const session = lower.endsWith('-sess');
  const hash = DIGEST_HASHES[session ? lower.slice(0, -'-sess'.length) : lower];
  return hash === undefined ? null : { name, hash, session };
}

function newDigestSpace(
  credential: JobCredential,
  challenge: AuthChallenge,
  algorithm: DigestHash,
): DigestSpace {
  const qops = (challenge.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  return {
    kind: 'digest',
    credential,
    algorithm,
    realm: challenge.params.get('realm') ?? '',
    nonce: challenge.params.get('nonce') ?? '',
    opaque: challenge.params.get('opaque'),
    qop: qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : null,
    userhash: (challenge.params.get('userhash') ?? '').toLowerCase() === 'true',
    count: 0,
  };
}

/**
 * The space to retry with when the origin only found the nonce stale (`stale=true` on a
 * Digest challenge the job can still answer), else undefined: the credentials were rejected.
 */
function staleDigest(
  challenges: readonly AuthChallenge[],
  previous: DigestSpace,
): DigestSpace | undefined {
  for (const challenge of challenges) {
    if (challenge.scheme !== 'digest') continue;
    if ((challenge.params.get('stale') ?? '').toLowerCase() !== 'true') continue;
    const algorithm = digestAlgorithm(challenge.params.get('algorithm'));
    if (algorithm === null || !challenge.params.has('nonce')) continue;
    return newDigestSpace(previous.credential, challenge, algorithm);
  }
  return undefined;
}

/** The Authorization value for one request (RFC 7616 3.4), counting it against the nonce. */
function digestAnswer(space: DigestSpace, method: string, uri: string, cnonce: string): string {
  space.count += 1;
  const { credential, algorithm, realm, nonce, qop } = space;
  const h = (text: string): string => createHash(algorithm.hash).update(text, 'utf8').digest('hex');
  const nc = space.count.toString(16).padStart(8, '0');
  let ha1 = h(`${credential.userName}:${realm}:${credential.password}`);
  if (algorithm.session) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  // A GET has an empty body: auth-int hashes it as the empty string.
  const ha2 = qop === 'auth-int' ? h(`${method}:${uri}:${h('')}`) : h(`${method}:${uri}`);
  const response =
    qop === null ? h(`${ha1}:${nonce}:${ha2}`) : h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  const parts: string[] = [];
  if (space.userhash) {
    parts.push(`username="${h(`${credential.userName}:${realm}`)}"`, 'userhash=true');
  } else if (/^[\x20-\x7e]*$/.test(credential.userName) && !credential.userName.includes('"')) {
    parts.push(`username=${quote(credential.userName)}`);
  } else {
    // RFC 7616 3.4.4: a name outside quoted-string's reach goes as an RFC 8187 ext-value.
    parts.push(`username*=UTF-8''${encodeURIComponent(credential.userName)}`);
  }
  parts.push(`realm=${quote(realm)}`, `uri=${quote(uri)}`, `algorithm=${algorithm.name}`);
  parts.push(`nonce=${quote(nonce)}`);
  if (qop !== null) parts.push(`nc=${nc}`, `cnonce="${cnonce}"`, `qop=${qop}`);
  parts.push(`response="${response}"`);
  if (space.opaque !== undefined) parts.push(`opaque=${quote(space.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function schemeName(scheme: AuthScheme): string {
  return scheme === 'BASIC' ? 'Basic' : 'Digest';
}

/**
 * The two authenticators of one transfer: the job's SERVER and PROXY credentials. Built once
 * per run, so a challenge answered for one file is reused for the next file of the origin.
 */
export interface TransferAuth {
  readonly server: Authenticator;
  readonly proxy: Authenticator;
}

/** The authenticators for a job's credentials. */
export function transferAuth(credentials: readonly JobCredential[]): TransferAuth {
  return {
    server: new Authenticator(
      'SERVER',
      credentials.filter((c) => c.target === 'SERVER'),
    ),
    proxy: new Authenticator(
      'PROXY',
      credentials.filter((c) => c.target === 'PROXY'),
    ),
  };
}

/** The credentials a request carried, to tell a first challenge from a rejection. */
export interface SentAuth {
  readonly server: string | null;
  readonly proxy: string | null;
}

/**
 * Adds to `headers` (undici's flat list) the answers already known for `url`: the server's
 * only to the host the job named (`trustedHost`), the proxy's only on a request the proxy
 * itself reads (`forwarded`: an http URL sent to the proxy in absolute form).
 */
export function addAuthHeaders(
  headers: string[],
  auth: TransferAuth | undefined,
  url: URL,
  trustedHost: string,
  forwarded: boolean,
): SentAuth {
  if (auth === undefined) return { server: null, proxy: null };
  const server = url.hostname === trustedHost ? auth.server.authorization('GET', url) : null;
  const proxy = forwarded ? auth.proxy.authorization('GET', url) : null;
  if (server !== null) headers.push('authorization', server);
  if (proxy !== null) headers.push('proxy-authorization', proxy);
  return { server, proxy };
}

/**
 * Whether a response is a challenge worth answering: true to send the request again (the
 * answer is ready), false for any response that is not a 401/407 (and a 407 when the job has
 * no proxy credentials: the transfer's proxy refusal says what to fix). Throws the
 * access-denied error when the job cannot answer, or its answer was rejected.
 */
export function answerChallenge(
  auth: TransferAuth | undefined,
  status: number,
  url: URL,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  sent: SentAuth,
  trustedHost: string,
): boolean {
  if (status !== 401 && status !== 407) return false;
  const use = auth ?? transferAuth([]);
  if (status === 401) {
    if (url.hostname !== trustedHost && use.server.hasCredentials) {
      throw use.server.foreignHost(status, url, trustedHost);
    }
    const error = use.server.challenged(status, url, headers['www-authenticate'], sent.server);
    if (error !== null) throw error;
    return true;
  }
  // Without job PROXY credentials the proxy's refusal is the transfer's own error (it says
  // where a proxy's user name and password go).
  if (!use.proxy.hasCredentials) return false;
  const error = use.proxy.challenged(status, url, headers['proxy-authenticate'], sent.proxy);
  if (error !== null) throw error;
  return true;
}
