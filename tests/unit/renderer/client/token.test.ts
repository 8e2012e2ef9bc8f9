// Guards against the server-mode access token staying in the address bar, the browser history
// and bookmarks (`#token=…` was read but never removed), while a reload must still connect.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOKEN_STORAGE_KEY, takeToken } from '../../../../renderer/client/token.js';
import type { TokenStorage } from '../../../../renderer/client/token.js';

function memoryStorage(): TokenStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

describe('takeToken', () => {
  it('reads the token from the fragment, stores it and drops it from the URL', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = takeToken({ pathname: '/', search: '', hash: '#token=abc123' }, storage, (url) =>
      replaced.push(url),
    );
    assert.equal(token, 'abc123');
    assert.deepEqual(replaced, ['/']);
    assert.equal(storage.items.get(TOKEN_STORAGE_KEY), 'abc123');
  });

  it('keeps the rest of the fragment and the query', () => {
    const replaced: string[] = [];
    takeToken(
      { pathname: '/index.html', search: '?x=1', hash: '#token=abc&job=7' },
      memoryStorage(),
      (url) => replaced.push(url),
    );
    assert.deepEqual(replaced, ['/index.html?x=1#job=7']);
  });

  it('uses the stored token after a reload, leaving the URL alone', () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, 'stored');
    const replaced: string[] = [];
    const token = takeToken({ pathname: '/', search: '', hash: '' }, storage, (url) =>
      replaced.push(url),
    );
    assert.equal(token, 'stored');
    assert.deepEqual(replaced, []);
  });

  it('still returns the token when storage refuses it, and "" when there is none', () => {
    const refusing: TokenStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    assert.equal(
      takeToken({ pathname: '/', search: '', hash: '#token=t' }, refusing, () => undefined),
      't',
    );
    assert.equal(
      takeToken({ pathname: '/', search: '', hash: '' }, refusing, () => undefined),
      '',
    );
    assert.equal(
      takeToken({ pathname: '/', search: '', hash: '' }, null, () => undefined),
      '',
    );
  });
});
