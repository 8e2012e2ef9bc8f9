// Guards against: ANSI escapes, newlines and bidi overrides in job names, paths and server
// messages printed raw by the CLI (a name could recolour or clear the terminal, or forge lines
// of output that a script then parses).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, formatTable } from '../../../main/cli/format.js';
import { printable, printableBlock } from '../../../main/cli/printable.js';

describe('printable', () => {
  it('escapes C0, DEL, C1 and bidi controls, and nothing else', () => {
    assert.equal(printable('a\x1b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(printable('one\ntwo\rthree\tfour'), 'one\\ntwo\\rthree\\tfour');
    assert.equal(printable('\0\x7f\x9b'), '\\x00\\x7f\\x9b');
    assert.equal(printable('invoice\u202egpj.exe'), 'invoice\\u202egpj.exe');
    assert.equal(printable('é ü 日本 🙂 (1).bin'), 'é ü 日本 🙂 (1).bin');
  });

  it('keeps the newlines of a block but escapes the rest', () => {
    assert.equal(printableBlock('line 1\nline\x1b[31m 2\r'), 'line 1\nline\\x1b[31m 2\\r');
  });

  it('table cells and error messages come out on one line each, escaped', () => {
    const table = formatTable(['ID', 'NAME'], [['1', 'evil\nID  forged\x1b[2J']]);
    assert.equal(table.split('\n').length, 2);
    assert.ok(!table.includes('\x1b'));
    const line = formatError({
      context: 'REMOTE_FILE',
      code: 'NET_TLS_FAILURE',
      message: 'TLS failed:\n  error:0A000126:SSL routines::unexpected eof\x07',
      fileIndex: 0,
      httpStatus: null,
      sysCode: null,
      protocol: 'https',
      time: 0,
    });
    // Guards against: a TLS error embedding a multi-line OpenSSL dump broke the one-line output.
    assert.equal(line.split('\n').length, 1);
    assert.match(line, /TLS failed: error:0A000126:SSL routines::unexpected eof\\x07 \(/);
  });
});
