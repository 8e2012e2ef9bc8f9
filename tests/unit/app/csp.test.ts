import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasErrorCode } from '../../../app/index.js';
import { DESKTOP_CSP, contentSecurityPolicy } from '../../../app/csp.js';

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split('; ').map((d) => {
      const [name = '', ...sources] = d.split(' ');
      return [name, sources];
    }),
  );

describe('contentSecurityPolicy', () => {
  it('starts from nothing and allows only the page’s own scripts, styles and images', () => {
    const d = directives(DESKTOP_CSP);
    assert.deepEqual(d['default-src'], ["'none'"]);
    assert.deepEqual(d['script-src'], ["'self'"]);
    assert.deepEqual(d['style-src'], ["'self'"]);
    assert.deepEqual(d['img-src'], ["'self'", 'data:']);
    assert.deepEqual(d['object-src'], ["'none'"]);
    assert.deepEqual(d['base-uri'], ["'none'"]);
    assert.deepEqual(d['form-action'], ["'none'"]);
    assert.equal(d['connect-src'], undefined);
    assert.doesNotMatch(DESKTOP_CSP, /unsafe/);
  });

  it('opens connect-src to the loopback WebSocket in server mode only', () => {
    const d = directives(
      contentSecurityPolicy({ kind: 'server', webSocketOrigin: 'ws://127.0.0.1:17489' }),
    );
    assert.deepEqual(d['connect-src'], ["'self'", 'ws://127.0.0.1:17489']);
    assert.deepEqual(d['default-src'], ["'none'"]);
  });

  it('refuses a non-loopback or malformed WebSocket origin', () => {
    for (const origin of [
      'ws://example.org:80',
      'http://127.0.0.1:80',
      'ws://127.0.0.1',
      'ws://127.0.0.1:80/path',
      "ws://127.0.0.1:80 'unsafe-inline'",
      'ws://127.0.0.1:0',
    ]) {
      assert.throws(
        () => contentSecurityPolicy({ kind: 'server', webSocketOrigin: origin }),
        (error: unknown) => hasErrorCode(error, 'INPUT_INVALID'),
        origin,
      );
    }
  });
});
