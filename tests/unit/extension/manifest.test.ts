// The built extension and the native host agree on who is who: the public key in the Chromium
// manifest hashes to the id the host's manifest allows, and Firefox's add-on id matches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  FERRY_CHROMIUM_EXTENSION_ID,
  FERRY_FIREFOX_EXTENSION_ID,
} from '../../../main/native-host/manifests.js';

const read = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../../extension/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

/** Chromium's id of an extension: the first 128 bits of SHA-256 of its key, as letters a–p. */
function chromiumIdOf(base64Key: string): string {
  const hex = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex');
  return hex
    .slice(0, 32)
    .replace(/[0-9a-f]/g, (digit) => String.fromCharCode(97 + parseInt(digit, 16)));
}

describe('extension manifests', () => {
  it('fixes the Chromium id the native host allows', () => {
    const key = read('manifest.chromium.json')['key'];
    assert.equal(typeof key, 'string');
    assert.equal(chromiumIdOf(key as string), FERRY_CHROMIUM_EXTENSION_ID);
  });

  it('names the Firefox add-on id the native host allows', () => {
    const gecko = (
      read('manifest.firefox.json')['browser_specific_settings'] as {
        gecko: { id: string };
      }
    ).gecko;
    assert.equal(gecko.id, FERRY_FIREFOX_EXTENSION_ID);
  });

  it('has the same messages in English and French', () => {
    const en = Object.keys(read('_locales/en/messages.json')).sort();
    const fr = Object.keys(read('_locales/fr/messages.json')).sort();
    assert.deepEqual(fr, en);
    assert.ok(en.includes('menuDownloadLink') && en.includes('menuDownloadSelection'));
  });

  it('asks for what it uses and lets no web page talk to it', () => {
    const base = read('manifest.base.json');
    assert.deepEqual(base['permissions'], [
      'downloads',
      'contextMenus',
      'cookies',
      'nativeMessaging',
      'storage',
    ]);
    assert.equal(base['externally_connectable'], undefined);
    assert.equal(base['web_accessible_resources'], undefined);
  });
});
