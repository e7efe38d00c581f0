// Sealing keys over time, on the real test cluster: the key is renewed when the newest is older than
// the renewal period and old keys keep unsealing; a key made by openssl outside Fjord (bring-your-own-
// key) is picked up while running, becomes the sealing key, and opens a SealedSecret that failed before;
// the current certificate is published in the ConfigMap `fjord seal` reads.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../exec/exec.js';
import { binaryPath } from '../../dev/paths.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { eventually } from '../../testing/wait.js';
import { createLogger, silentLogger } from '../../util/log.js';
import { SealedSecretsController } from './controller.js';
import { CERT_CONFIGMAP, renewalDueAt } from './key-ring.js';
import { KEY_LABEL } from './keys.js';
import { sealSecret, unsealSecret } from './sealed-secret.js';

const VALUE = 'rotation-proof-value-77';
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const ssPath = (ns: string, name = ''): string => `/apis/bitnami.com/v1alpha1/namespaces/${ns}/sealedsecrets${name ? `/${name}` : ''}`;

async function start(t: TestContext, kube: KubeClient, namespace: string, keyRenewPeriodMs: number, log = silentLogger): Promise<SealedSecretsController> {
  const c = await SealedSecretsController.start({ kube, namespace, log, keyBits: 2048, keyRenewPeriodMs, watchNamespace: namespace });
  defer(t, () => c.stop());
  return c;
}

async function keySecrets(kube: KubeClient, ns: string): Promise<KubeObject[]> {
  return (await kube.get<{ items: KubeObject[] }>(`/api/v1/namespaces/${ns}/secrets`, { query: { labelSelector: `${KEY_LABEL}=active` } })).items;
}

async function secretValue(kube: KubeClient, ns: string, name: string): Promise<string | undefined> {
  const s = await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/${name}`);
  const v = s?.data?.['password'];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
}

async function publishedCert(kube: KubeClient, ns: string): Promise<string | undefined> {
  return (await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/configmaps/${CERT_CONFIGMAP}`))?.data?.['cert.pem'];
}

test('renewal is due a period after the newest key; a period of 0 disables it', () => {
  const key = { name: 'k', creationTimestamp: '2026-01-01T00:00:00Z', certPem: '', keyPem: '' };
  assert.equal(renewalDueAt(key, 3_600_000), Date.parse('2026-01-01T01:00:00Z'));
  assert.equal(renewalDueAt(key, 0), undefined);
  assert.equal(renewalDueAt(undefined, 1000), 0);
});

test('the sealing key is renewed after --key-renew-period; values sealed for older keys still unseal', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss-rot');
  const c = await start(t, kube, ns, 3000);
  const first = c.certificatePem();
  assert.equal(await publishedCert(kube, ns), first);
  const old = sealSecret(first, { metadata: { name: 'old', namespace: ns }, stringData: { password: VALUE } });

  const second = await eventually('a renewed sealing key', () => { const p = c.certificatePem(); return Promise.resolve(p !== first ? p : undefined); }, 20_000);
  assert.equal((await keySecrets(kube, ns)).length >= 2, true, 'the old key Secret is kept');
  await eventually('the ConfigMap shows the new certificate', async () => ((await publishedCert(kube, ns)) === second ? true : undefined), 10_000);

  // Sealed for the first key, unsealed after renewal; and a value sealed for the new key.
  await kube.create(ssPath(ns), { ...old });
  await kube.create(ssPath(ns), { ...sealSecret(second, { metadata: { name: 'new', namespace: ns }, stringData: { password: VALUE } }) });
  assert.equal(await eventually('old unsealed', () => secretValue(kube, ns, 'old'), 20_000), VALUE);
  assert.equal(await eventually('new unsealed', () => secretValue(kube, ns, 'new'), 20_000), VALUE);
  assert.throws(() => unsealSecret([c.privateKeys()[0] ?? ''], old), /no key could decrypt/, 'the newest key alone does not open the old value: all keys are tried');
});

async function opensslKey(t: TestContext): Promise<{ dir: string; certPem: string; keyPem: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-byok-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  await exec('openssl', ['req', '-x509', '-nodes', '-newkey', 'rsa:2048', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-subj', '/CN=sealed-secret/O=sealed-secret', '-days', '3650']);
  return { dir, certPem: readFileSync(join(dir, 'tls.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'tls.key'), 'utf8') };
}

test('a key Secret made with openssl is picked up while running: it seals, and opens what failed before', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss-byok');
  const own = await opensslKey(t);
  const logs: string[] = [];
  const c = await start(t, kube, ns, 0, createLogger({ format: 'text', write: (l) => { logs.push(l); } }));
  assert.notEqual(c.certificatePem(), own.certPem);

  // Sealed by the real kubeseal for the openssl key, before Fjord knows it: refused, no Secret.
  writeFileSync(join(own.dir, 'secret.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace: ns }, stringData: { password: VALUE } }));
  const sealed = await exec(binaryPath('kubeseal'), ['--cert', join(own.dir, 'tls.crt'), '--format', 'json', '--secret-file', join(own.dir, 'secret.json')], { env: { ...process.env, KUBECONFIG: join(own.dir, 'none') } });
  await kube.create(ssPath(ns), JSON.parse(sealed.stdout) as KubeObject);
  await eventually('Synced=False', async () => {
    const ss = await kube.get<{ status?: { conditions?: { type: string; status: string }[] } }>(ssPath(ns, 'app'));
    return ss.status?.conditions?.some((x) => x.type === 'Synced' && x.status === 'False') ? true : undefined;
  }, 20_000);
  assert.equal(await kube.getOrUndefined(`/api/v1/namespaces/${ns}/secrets/app`), undefined);

  await new Promise((r) => setTimeout(r, 1100)); // creationTimestamp has a resolution of one second
  // A key Secret without tls.key is ignored (and warned about once), not taken as the sealing key.
  await kube.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'broken-key', labels: { [KEY_LABEL]: 'active' } }, data: { 'tls.crt': b64(own.certPem) } });
  await kube.create(`/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
    metadata: { name: 'imported-key', labels: { [KEY_LABEL]: 'active' } },
    data: { 'tls.crt': b64(own.certPem), 'tls.key': b64(own.keyPem) },
  });
  assert.equal(await eventually('the imported key opens it', () => secretValue(kube, ns, 'app'), 20_000), VALUE);
  await eventually('the imported key seals', () => Promise.resolve(c.certificatePem() === own.certPem ? true : undefined), 10_000);
  await eventually('and is published', async () => ((await publishedCert(kube, ns)) === own.certPem ? true : undefined), 10_000);
  assert.equal((await keySecrets(kube, ns)).length, 3, 'renewal is off (0): no other key was made');
  assert.equal(c.privateKeys().length, 2, 'the broken key Secret is not used');
  assert.equal(logs.filter((l) => /WARN .*lacks tls\.crt or tls\.key.*broken-key/.test(l)).length, 1, 'warned about once');
});
