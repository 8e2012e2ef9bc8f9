// Names a server or a page proposes, as Ferry saves them. Guards against: a Content-Disposition
// name with a right-to-left override (U+202E) or other bidi controls kept in the saved name,
// so "invoice\u202Egpj.exe" was saved to display as "invoiceexe.jpg".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileNameFromDisposition, sanitizeName } from '../../../main/host/download-plan.js';

describe('sanitizeName', () => {
  const cases: [string, string][] = [
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['a\u200fb\u200e\u061c\u2066c\u2069.txt', 'abc.txt'],
    ['\u202a\u202b\u202c\u202d.pdf', 'pdf'],
    ['tab\tand\x1b[31mred\x07.bin', 'tab_and_[31mred_.bin'],
    ['line\nbreak\r.txt', 'line_break_.txt'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['', 'download'],
    ['\u202e', 'download'],
    ['normal name (1).tar.gz', 'normal name (1).tar.gz'],
  ];
  for (const [given, saved] of cases) {
    it(`${JSON.stringify(given)} is saved as ${JSON.stringify(saved)}`, () => {
      assert.equal(sanitizeName(given), saved);
    });
  }

  it('keeps the bidi controls out of a Content-Disposition filename* name', () => {
    const proposed = fileNameFromDisposition(
      "attachment; filename*=UTF-8''invoice%E2%80%AEgpj.exe",
    );
    assert.equal(proposed, 'invoice\u202egpj.exe');
    assert.equal(sanitizeName(proposed), 'invoicegpj.exe');
  });
});
