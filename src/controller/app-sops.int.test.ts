// SOPS in Git: a Secret encrypted by the real sops with an age key is decrypted in memory at render
// time and applied; the plaintext appears nowhere in status or events; a tampered file is refused by
// its MAC with a condition naming the file, and what runs is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';
import { startAppFixture } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';

const PLAINTEXT = 'correct-horse-battery-staple-42';

async function encryptWithSops(dir: string, recipient: string, yaml: string): Promise<string> {
  writeFileSync(join(dir, 'secret.yaml'), yaml);
  const out = await exec(binaryPath('sops'), ['--encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', join(dir, 'secret.yaml')]);
  return out.stdout;
}

test('a SOPS/age Secret from Git is applied decrypted, never shown, and a tampered one is refused', async (t) => {
  const f = await startAppFixture(t);
  const dir = mkdtempSync(join(tmpdir(), 'fjord-sops-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  await exec('age-keygen', ['-o', join(dir, 'key.txt')]);
  const key = readFileSync(join(dir, 'key.txt'), 'utf8');
  const recipient = /public key: (age1[0-9a-z]+)/.exec(key)?.[1] ?? '';
  const encrypted = await encryptWithSops(dir, recipient, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\ntype: Opaque\nstringData:\n  password: ${PLAINTEXT}\n  port: "5432"\n`);
  assert.doesNotMatch(encrypted, new RegExp(PLAINTEXT));
  await f.kube.create(`/api/v1/namespaces/${f.ctrl.namespace}/secrets`, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', labels: { 'fjord.dev/secret-type': 'sops-age' } },
    data: { 'identity.agekey': Buffer.from(key).toString('base64') },
  });
  await f.push({ 'sops/secret.enc.yaml': encrypted }, 'db credentials, encrypted');
  const app = f.appName('sops');
  await f.ctrl.createApp(app, f.spec('sops', { syncPolicy: { automated: { prune: true } } }));
  const s = await f.waitFor(app, 'synced', (x) => x.sync.status === 'Synced');
  const secret = await f.kube.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${f.dest}/secrets/db-creds`);
  assert.equal(Buffer.from(secret.data['password'] ?? '', 'base64').toString(), PLAINTEXT);
  assert.doesNotMatch(JSON.stringify(await f.ctrl.getApp(app)), new RegExp(PLAINTEXT), 'no plaintext in the Application');
  assert.equal(s.resources[0]?.name, 'db-creds');

  const tampered = encrypted.replace(/port: ENC\[[^\]]+\]/, (m) => m.replace(/data:[A-Za-z0-9+/=]+/, 'data:AAAA'));
  assert.notEqual(tampered, encrypted);
  await f.push({ 'sops/secret.enc.yaml': tampered }, 'tampered');
  const bad = await f.waitFor(app, 'refused', (x) => x.conditions.some((c) => c.type === 'ComparisonError'), 30_000);
  const message = bad.conditions.find((c) => c.type === 'ComparisonError')?.message ?? '';
  assert.match(message, /sops\/secret\.enc\.yaml/);
  assert.match(message, /tampered|MAC|authentication/i);
  assert.doesNotMatch(JSON.stringify(await f.ctrl.getApp(app)), new RegExp(PLAINTEXT));
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/secrets/db-creds`), 'the running Secret is left alone');
  const events = await f.kube.get<{ items: { message: string }[] }>(`/api/v1/namespaces/${f.ctrl.namespace}/events`);
  assert.doesNotMatch(JSON.stringify(events.items), new RegExp(PLAINTEXT), 'no plaintext in events');
});
