// The browser integration's schemas: extension identities, hand-off items and the native
// messages between the extension and its host.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserHandOffInput,
  extensionMessageSchema,
  extensionRefSchema,
  handOffItemSchema,
  hostMessageSchema,
  isExtensionId,
} from '../../../app/index.js';

describe('extension ids', () => {
  it('knows a Chromium id from a Firefox one', () => {
    assert.equal(isExtensionId('chromium', 'bnkancopcdgnnfppgbepbplhmbojaieo'), true);
    assert.equal(isExtensionId('chromium', 'bnkancopcdgnnfppgbepbplhmbojaiez'), false);
    assert.equal(isExtensionId('chromium', 'ferry@ferry.app'), false);
    assert.equal(isExtensionId('firefox', 'ferry-extension@ferry.app'), true);
    assert.equal(isExtensionId('firefox', '{12345678-1234-1234-1234-123456789abc}'), true);
    assert.equal(isExtensionId('firefox', 'no at sign'), false);
    assert.equal(
      extensionRefSchema.safeParse({ browser: 'safari', extensionId: 'x@y' }).success,
      false,
    );
  });
});

describe('hand-off items', () => {
  it('takes http(s) downloads with one-line headers only', () => {
    const ok = handOffItemSchema.safeParse({
      url: 'https://example.com/a.zip?x=1#frag',
      referrer: 'http://example.com/',
      fileName: 'a.zip',
      cookie: 'a=1; b=2',
      userAgent: 'Mozilla/5.0',
      bytesTotal: null,
    });
    assert.equal(ok.success, true);
    for (const bad of [
      { url: 'file:///etc/passwd' },
      { url: 'javascript:alert(1)' },
      { url: 'https://user:pw@example.com/a' },
      { url: 'https://example.com/a', cookie: 'a=1\r\nX-Injected: 1' },
      { url: 'https://example.com/a', userAgent: 'UA\n' },
      { url: 'https://example.com/a', referrer: 'chrome://settings' },
      { url: 'https://example.com/a', extra: true },
    ]) {
      assert.equal(handOffItemSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(
      browserHandOffInput.safeParse({
        extension: { browser: 'chromium', extensionId: 'bnkancopcdgnnfppgbepbplhmbojaieo' },
        items: [],
      }).success,
      false,
    );
  });
});

describe('native messages', () => {
  it('accepts the four requests and nothing that names an extension', () => {
    for (const request of [
      { kind: 'hello', label: 'Ferry 0.1.0' },
      { kind: 'handOff', items: [{ url: 'https://example.com/a.iso' }] },
      { kind: 'openAdd', urls: ['https://example.com/a', 'https://example.com/b'] },
      { kind: 'recent' },
    ]) {
      assert.equal(
        extensionMessageSchema.safeParse({ type: 'request', id: 1, request }).success,
        true,
      );
    }
    for (const message of [
      { type: 'request', id: 1, request: { kind: 'hello', label: 'x', extension: {} } },
      { type: 'request', id: -1, request: { kind: 'recent' } },
      { type: 'request', id: 1, request: { kind: 'job.cancel' } },
      { type: 'invoke', id: 1, command: 'job.create', input: {} },
    ]) {
      assert.equal(
        extensionMessageSchema.safeParse(message).success,
        false,
        JSON.stringify(message),
      );
    }
  });

  it('lets the extension check what the host sends', () => {
    assert.equal(hostMessageSchema.safeParse({ type: 'pairing', status: 'paired' }).success, true);
    assert.equal(hostMessageSchema.safeParse({ type: 'pairing', status: 'maybe' }).success, false);
    assert.equal(
      hostMessageSchema.safeParse({
        type: 'reply',
        id: 3,
        ok: false,
        error: { code: 'X', message: 'y', context: 'NONE' },
      }).success,
      true,
    );
  });
});
