/**
 * Text from jobs (names, URLs, paths, server messages) as the terminal should show it: every
 * control character written as a visible escape, so a name cannot move the cursor, recolour
 * or clear the terminal (ANSI escapes), forge extra output lines (newlines) or read backwards
 * (bidirectional overrides).
 */

// C0 controls, DEL, C1 controls and the bidirectional formatting characters.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same, but newlines pass: for whole blocks whose lines Ferry itself joined.
const UNPRINTABLE_BUT_NEWLINE =
  // eslint-disable-next-line no-control-regex
  /[\0-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value on one line: every control character escaped (`\n`, `\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}

/** A block of lines: control characters escaped, the newlines between lines kept. */
export function printableBlock(text: string): string {
  return text.replace(UNPRINTABLE_BUT_NEWLINE, escape);
}

/**
 * An error message on one line: line breaks and the indentation after them (an OpenSSL dump
 * from a TLS failure) become one space, the rest is escaped as by `printable`.
 */
export function printableMessage(text: string): string {
  return printable(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}
