import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractUrls,
  urlsFromHtml,
  urlsFromText,
  urlsFromUriList,
} from '../../../../../renderer/features/drop/extract-urls.js';

describe('URLs from dropped or pasted data', () => {
  it('reads a text/uri-list, skipping comments, blanks and duplicates', () => {
    assert.deepEqual(
      urlsFromUriList(
        '# from a browser\r\nhttps://a.example/x.iso\r\n\r\nhttps://a.example/x.iso\nhttp://b.example/y',
      ),
      ['https://a.example/x.iso', 'http://b.example/y'],
    );
  });

  it('finds URLs in free text and trims sentence punctuation', () => {
    assert.deepEqual(
      urlsFromText('Get https://a.example/file.zip, then (see http://b.example/notes). Done.'),
      ['https://a.example/file.zip', 'http://b.example/notes'],
    );
  });

  it('keeps a closing parenthesis that belongs to the URL', () => {
    assert.deepEqual(urlsFromText('see https://en.wikipedia.org/wiki/Ferry_(boat) now'), [
      'https://en.wikipedia.org/wiki/Ferry_(boat)',
    ]);
  });

  it('keeps only schemes the engine fetches', () => {
    assert.deepEqual(
      urlsFromText('ftp://x.example/a mailto:me@x.example javascript:alert(1) file:///tmp/a'),
      ['file:///tmp/a'],
    );
    assert.deepEqual(urlsFromUriList('javascript:alert(1)\nhttps://ok.example/'), [
      'https://ok.example/',
    ]);
  });

  it('reads link targets from HTML, decoding &amp;', () => {
    assert.deepEqual(
      urlsFromHtml(
        '<a href="https://a.example/?x=1&amp;y=2">one</a> <a href=\'http://b.example/z\'>two</a>',
      ),
      ['https://a.example/?x=1&y=2', 'http://b.example/z'],
    );
  });

  it('prefers the URI list, then HTML, then plain text', () => {
    assert.deepEqual(
      extractUrls({
        uriList: 'https://list.example/',
        html: '<a href="https://html.example/">x</a>',
        text: 'https://text.example/',
      }),
      ['https://list.example/'],
    );
    assert.deepEqual(
      extractUrls({
        uriList: '',
        html: '<a href="https://html.example/">x</a>',
        text: 'https://text.example/',
      }),
      ['https://html.example/'],
    );
    assert.deepEqual(extractUrls({ text: 'nothing here' }), []);
  });
});
