// Names a server or a page proposes, as Ferry saves them. Guards against: a Content-Disposition
// name with a right-to-left override (U+202E) or other bidi controls kept in the saved name,
// so "invoice\u202Egpj.exe" was saved to display as "invoiceexe.jpg"; and which part of a
// response names a file (Content-Disposition, else the URL after redirects, else the URL).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fileNameFromDisposition,
  responseFileName,
  sanitizeName,
} from '../../../main/engine/file-naming.js';

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
    // Regression: a Windows device name was replaced whole by "_".
    ['CON.txt', '_CON.txt'],
    ['nul', '_nul'],
    ['com1.tar.gz', '_com1.tar.gz'],
    ['console.log', 'console.log'],
  ];
  for (const [given, saved] of cases) {
    it(`${JSON.stringify(given)} is saved as ${JSON.stringify(saved)}`, () => {
      assert.equal(sanitizeName(given), saved);
    });
  }

  // Regression: a long name was cut at its end, losing its extension.
  it('shortens a name over 255 bytes before its extension, at whole characters', () => {
    assert.equal(sanitizeName(`${'x'.repeat(400)}.bin`), `${'x'.repeat(251)}.bin`);
    assert.equal(sanitizeName(`${'é'.repeat(200)}.tar.gz`), `${'é'.repeat(124)}.tar.gz`);
    // A 40-byte "extension" is part of the name: the end is cut as before.
    assert.equal(sanitizeName(`${'y'.repeat(300)}.${'z'.repeat(40)}`), 'y'.repeat(255));
  });

  it('keeps the bidi controls out of a Content-Disposition filename* name', () => {
    const proposed = fileNameFromDisposition(
      "attachment; filename*=UTF-8''invoice%E2%80%AEgpj.exe",
    );
    assert.equal(proposed, 'invoice\u202egpj.exe');
    assert.equal(sanitizeName(proposed), 'invoicegpj.exe');
  });
});

describe('responseFileName', () => {
  const cases: [string | null, string, string, string][] = [
    ['attachment; filename="a b.pdf"', 'https://h/x/final.iso', 'https://h/dl', 'a b.pdf'],
    ["attachment; filename*=UTF-8''%C3%A9t%C3%A9.txt", 'https://h/y', 'https://h/y', 'été.txt'],
    [null, 'https://h/x/final.iso?sig=1', 'https://h/latest', 'final.iso'],
    ['inline', 'https://h/x/final.iso', 'https://h/latest', 'final.iso'],
    [null, 'https://h/dir/', 'https://h/file%20one.bin', 'file one.bin'],
    [null, 'https://h/', 'https://h/', 'download'],
    ['attachment; filename="../../etc/passwd"', 'https://h/a', 'https://h/a', '_.._etc_passwd'],
  ];
  for (const [disposition, finalUrl, remoteUrl, name] of cases) {
    it(`${JSON.stringify(disposition)} at ${finalUrl} names ${JSON.stringify(name)}`, () => {
      assert.equal(responseFileName(disposition, finalUrl, remoteUrl), name);
    });
  }
});
