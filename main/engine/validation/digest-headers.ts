import type { DigestAlgorithm, ExpectedDigest } from '../../../app/model/validation.js';
import { DIGEST_HEX_LENGTH } from '../../../app/model/validation.js';

/** A response header as undici gives it. */
type HeaderValue = string | string[] | undefined;

/**
 * RFC 9530 algorithm keys Ferry can check, strongest first: when a server announces several,
 * the strongest is kept. `sha` (SHA-1) and `md5` are deprecated by RFC 9530 but still sent by
 * older servers.
 */
const KEYS: readonly (readonly [string, DigestAlgorithm])[] = [
  ['sha-512', 'sha-512'],
  ['sha-256', 'sha-256'],
  ['sha', 'sha-1'],
  ['md5', 'md5'],
];

/**
 * The digest a response announces for the whole file, or null.
 *
 * `Repr-Digest` describes the selected representation, the whole file, whatever part of it a
 * 206 carries, so it is read from any answer. `Content-Digest` describes the message body, the
 * whole file only in a 200 without Content-Encoding (Ferry asks for `identity`), so it is read
 * only there. Values are RFC 8941 dictionaries of byte sequences: `sha-256=:base64:`.
 */
export function announcedDigest(
  headers: Readonly<Record<string, HeaderValue>>,
  status: number,
): ExpectedDigest | null {
  const repr = parseDigestDictionary(headers['repr-digest']);
  if (repr !== null) return repr;
  const encoding = headerText(headers['content-encoding']);
  if (status !== 200 || (encoding !== '' && encoding.toLowerCase() !== 'identity')) return null;
  return parseDigestDictionary(headers['content-digest']);
}

/** The strongest digest Ferry can check in a Repr-Digest / Content-Digest value, or null. */
export function parseDigestDictionary(value: HeaderValue): ExpectedDigest | null {
  const text = headerText(value);
  if (text === '') return null;
  const found = new Map<string, string>();
  for (const member of text.split(',')) {
    const match = /^\s*([a-z][a-z0-9_\-.*]*)\s*=\s*:([A-Za-z0-9+/=]*):\s*(?:;.*)?$/.exec(member);
    if (match === null) continue;
    found.set(match[1] ?? '', match[2] ?? '');
  }
  for (const [key, algorithm] of KEYS) {
    const base64 = found.get(key);
    if (base64 === undefined) continue;
    const hex = Buffer.from(base64, 'base64').toString('hex');
    if (hex.length === DIGEST_HEX_LENGTH[algorithm]) return { algorithm, hex, source: 'server' };
  }
  return null;
}

function headerText(value: HeaderValue): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(', ');
}
