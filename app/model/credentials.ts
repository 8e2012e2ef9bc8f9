/**
 * Job credentials, named as BITS' `BG_AUTH_CREDENTIALS` (IBackgroundCopyJob2::SetCredentials).
 *
 * A job holds at most one set per target and scheme: SERVER credentials answer a server's
 * `401` challenge, PROXY credentials its proxy's `407`. Ferry speaks Basic (RFC 7617) and
 * Digest (RFC 7616: MD5, SHA-256 and SHA-512/256, qop=auth), as curl and aria2c do; BITS'
 * NTLM, Negotiate and Passport are refused with a clear error rather than stored unused.
 */

/** BG_AUTH_TARGET: SERVER = 1, PROXY = 2. */
export const AUTH_TARGETS = ['SERVER', 'PROXY'] as const;
/** Who asks for the credentials. */
export type AuthTarget = (typeof AUTH_TARGETS)[number];

/** The BG_AUTH_SCHEME values Ferry speaks (BASIC = 1, DIGEST = 2). */
export const AUTH_SCHEMES = ['BASIC', 'DIGEST'] as const;
/** One scheme Ferry answers challenges with. */
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

/** BITS' other schemes: named so that a request for them gets a precise refusal. */
export const UNSUPPORTED_AUTH_SCHEMES = ['NTLM', 'NEGOTIATE', 'PASSPORT'] as const;

/** One set of credentials as SetCredentials takes it; the password never leaves the engine. */
export interface JobCredential {
  readonly target: AuthTarget;
  readonly scheme: AuthScheme;
  readonly userName: string;
  readonly password: string;
}

/**
 * What a job reports about its credentials: which targets and schemes are set and for which
 * user, never the password (BITS has no getter at all; the user name helps a UI say whose
 * credentials a job carries).
 */
export interface JobCredentialInfo {
  readonly target: AuthTarget;
  readonly scheme: AuthScheme;
  readonly userName: string;
}

/** The public view of stored credentials. */
export function credentialInfo(credentials: readonly JobCredential[]): JobCredentialInfo[] {
  return credentials.map(({ target, scheme, userName }) => ({ target, scheme, userName }));
}

/** Longest user name or password accepted (curl and browsers have no smaller limit in practice). */
export const MAX_CREDENTIAL_LENGTH = 1024;

/** `credentials` with `next` in place of any set of the same target and scheme. */
export function replaceCredential(
  credentials: readonly JobCredential[],
  next: JobCredential,
): JobCredential[] {
  return [...removeCredential(credentials, next.target, next.scheme), next];
}

/** `credentials` without the set of `target` and `scheme` (unchanged when there is none). */
export function removeCredential(
  credentials: readonly JobCredential[],
  target: AuthTarget,
  scheme: AuthScheme,
): JobCredential[] {
  return credentials.filter((c) => c.target !== target || c.scheme !== scheme);
}
