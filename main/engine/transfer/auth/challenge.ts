/**
 * The challenges of a `WWW-Authenticate` or `Proxy-Authenticate` header (RFC 9110 11.6.1).
 *
 * A header may hold several challenges (`Digest realm="a", qop="auth", Basic realm="a"`) and
 * may be repeated; a challenge is a scheme followed by a token68 or by `name=value` parameters,
 * values being tokens or quoted strings. Parameter names are lower-cased, scheme names too.
 */
export interface AuthChallenge {
  /** Lower case: `basic`, `digest`, … */
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Every challenge of one or more header values, in order. */
export function parseChallenges(header: string | readonly string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  return values.flatMap(parseOne);
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

function parseOne(text: string): AuthChallenge[] {
  const out: { scheme: string; params: Map<string, string> }[] = [];
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < text.length && chars.test(text.charAt(i))) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < text.length && TOKEN_CHAR.test(text.charAt(i))) i++;
    return text.slice(start, i);
  };
  const quoted = (): string => {
    // At the opening quote: a backslash escapes the next character (quoted-pair).
    i++;
    let value = '';
    while (i < text.length && text.charAt(i) !== '"') {
      if (text.charAt(i) === '\\' && i + 1 < text.length) i++;
      value += text.charAt(i);
      i++;
    }
    i++;
    return value;
  };
  while (i < text.length) {
    skip(/[\s,]/);
    const word = token();
    if (word === '') {
      // Not a token: skip the stray character rather than loop on it.
      i++;
      continue;
    }
    const save = i;
    skip(/[ \t]/);
    const current = out.at(-1);
    if (text.charAt(i) === '=' && current !== undefined) {
      // A parameter of the current challenge: `name = value`.
      i++;
      skip(/[ \t]/);
      const value = text.charAt(i) === '"' ? quoted() : token();
      current.params.set(word.toLowerCase(), value);
      continue;
    }
    // A new challenge: the scheme, then maybe a token68 (`Negotiate abc==`).
    i = save;
    const challenge = { scheme: word.toLowerCase(), params: new Map<string, string>() };
    out.push(challenge);
    skip(/[ \t]/);
    const start = i;
    while (i < text.length && TOKEN68_CHAR.test(text.charAt(i))) i++;
    const end = i;
    while (i < text.length && text.charAt(i) === '=') i++;
    const after = i;
    skip(/[ \t]/);
    if (end > start && (i >= text.length || text.charAt(i) === ',')) {
      // `scheme token68` ends at a comma or the end of the header.
      challenge.params.set('token68', text.slice(start, after));
    } else {
      // Parameters follow: rewind to their first name.
      i = start;
    }
  }
  return out;
}
