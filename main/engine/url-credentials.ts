import type { JobCredential } from '../../app/model/credentials.js';

/** A remote URL without its userinfo, and the credentials that userinfo held. */
export interface SplitUrl {
  readonly remoteUrl: string;
  /** SERVER credentials for Basic and Digest, or empty when the URL held none. */
  readonly credentials: readonly JobCredential[];
}

/**
 * Moves the `user:password@` of an http(s) URL out of it: the URL is stored, shown and logged
 * without them, and they become the job's SERVER credentials.
 *
 * A URL does not say which scheme its server wants, so (as curl's --anyauth) the same user and
 * password are kept for both Basic and Digest, and the server's challenge picks one. Percent
 * escapes are decoded (`p%40ss` is `p@ss`). Other URLs (file:, unparsable ones) pass unchanged:
 * AddFile's own checks report them.
 */
export function splitUrlCredentials(remoteUrl: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(remoteUrl);
  } catch {
    return { remoteUrl, credentials: [] };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { remoteUrl, credentials: [] };
  if (url.username === '' && url.password === '') return { remoteUrl, credentials: [] };
  const userName = decode(url.username);
  const password = decode(url.password);
  url.username = '';
  url.password = '';
  return {
    remoteUrl: url.href,
    credentials: (['BASIC', 'DIGEST'] as const).map((scheme) => ({
      target: 'SERVER' as const,
      scheme,
      userName,
      password,
    })),
  };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` is taken literally, as curl does.
    return text;
  }
}
