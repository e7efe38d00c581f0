// Where the CLI finds its server and token: flags, then FJORD_SERVER/FJORD_AUTH_TOKEN, then the
// file `fjord login` writes (owner-only, under XDG_CONFIG_HOME).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readLogin, removeLogin, resolveConnection, UsageError, writeLogin } from './config.js';

test('the login file lives under XDG_CONFIG_HOME, is mode 0600 and round-trips', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-config-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const path = configPath({ XDG_CONFIG_HOME: dir });
  assert.equal(path, join(dir, 'fjord', 'config.json'));
  assert.match(configPath({ HOME: '/home/x' }), /\.config\/fjord\/config\.json$/);
  writeLogin({ server: 'http://127.0.0.1:8080', token: 'fjord_a_b' }, path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readLogin(path), { server: 'http://127.0.0.1:8080', token: 'fjord_a_b' });
  assert.equal(removeLogin(path), true);
  assert.equal(removeLogin(path), false);
  assert.equal(readLogin(path), undefined);
  mkdirSync(join(dir, 'fjord'), { recursive: true });
  writeFileSync(path, '{not json');
  assert.throws(() => readLogin(path), /config\.json: not valid JSON/);
});

test('flags win over the environment, which wins over the saved login; a saved token only goes to its server', () => {
  const saved = (): { server: string; token: string } => ({ server: 'http://saved:1/', token: 'saved-token' });
  assert.deepEqual(resolveConnection({}, {}, saved), { server: 'http://saved:1/', token: 'saved-token' });
  assert.deepEqual(resolveConnection({}, { FJORD_SERVER: 'http://saved:1', FJORD_AUTH_TOKEN: '' }, saved), { server: 'http://saved:1', token: 'saved-token' });
  assert.deepEqual(resolveConnection({}, { FJORD_SERVER: 'http://env:2', FJORD_AUTH_TOKEN: 'env-token' }, saved), { server: 'http://env:2', token: 'env-token' });
  assert.deepEqual(resolveConnection({ server: 'http://flag:3', authToken: 'flag-token' }, { FJORD_SERVER: 'http://env:2', FJORD_AUTH_TOKEN: 'env-token' }, saved), { server: 'http://flag:3', token: 'flag-token' });
  assert.deepEqual(resolveConnection({ server: 'http://other:4' }, {}, saved), { server: 'http://other:4' }, 'the saved token is not sent to another server');
  assert.throws(() => resolveConnection({}, {}, () => undefined), (e: unknown) => e instanceof UsageError && /fjord login/.test(e.message));
});
