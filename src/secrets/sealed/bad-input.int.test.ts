// Bad SealedSecrets on the real test cluster: a value sealed for another key, a truncated ciphertext,
// a strict SealedSecret under another name, and one bad value beside a good one. Each gives Synced=False
// and an ErrUnsealFailed event naming the object and the cause; the Secret unsealed before stays exactly
// as it was (never a partial Secret), and no value appears in status or events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedRsa } from '../../dev/pki.js';
import type { KubeClient } from '../../kube/client.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { eventually } from '../../testing/wait.js';
import { silentLogger } from '../../util/log.js';
import { SealedSecretsController } from './controller.js';
import { sealSecret, type SealedSecretObject } from './sealed-secret.js';

const GOOD = 'first-good-value-4410';
const NEW = 'second-value-never-applied-9921';
const ssPath = (ns: string, name = ''): string => `/apis/bitnami.com/v1alpha1/namespaces/${ns}/sealedsecrets${name ? `/${name}` : ''}`;

interface Live { metadata: { generation: number; resourceVersion: string }; status?: { observedGeneration?: number; conditions?: { type: string; status: string; message?: string }[] } }

async function data(kube: KubeClient, ns: string, name: string): Promise<Record<string, string> | undefined> {
  return (await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/${name}`))?.data;
}

/** Replaces the SealedSecret's spec and waits for Synced=False on the new generation; returns its message. */
async function refused(kube: KubeClient, ns: string, name: string, spec: SealedSecretObject['spec']): Promise<string> {
  const cur = await kube.get<Live & Record<string, unknown>>(ssPath(ns, name));
  await kube.request('PUT', ssPath(ns, name), { body: { ...cur, spec } });
  return eventually(`${ns}/${name} refused`, async () => {
    const ss = await kube.get<Live>(ssPath(ns, name));
    const c = ss.status?.conditions?.find((x) => x.type === 'Synced');
    return ss.status?.observedGeneration === ss.metadata.generation && c?.status === 'False' ? c.message ?? '' : undefined;
  }, 20_000);
}

function noValue(text: string): void {
  for (const v of [GOOD, NEW]) assert.ok(!text.includes(v) && !text.includes(Buffer.from(v).toString('base64')), 'a value appears in status or events');
}

test('wrong key, truncated ciphertext, wrong name and a half-bad SealedSecret leave the previous Secret in place and say why', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss-bad');
  const c = await SealedSecretsController.start({ kube, namespace: ns, log: silentLogger, keyBits: 2048, keyRenewPeriodMs: 0, watchNamespace: ns });
  defer(t, () => c.stop());
  const cert = c.certificatePem();
  const good = sealSecret(cert, { metadata: { name: 'db', namespace: ns }, stringData: { password: GOOD } });
  await kube.create(ssPath(ns), { ...good });
  const before = await eventually('db unsealed', () => data(kube, ns, 'db'), 20_000);

  const foreign = await createSelfSignedRsa('not-fjords-key', 2048);
  const wrongKey = sealSecret(foreign.certPem, { metadata: { name: 'db', namespace: ns }, stringData: { password: NEW } });
  assert.match(await refused(kube, ns, 'db', wrongKey.spec), new RegExp(`^Failed to unseal: SealedSecret ${ns}/db \\(strict\\): cannot unseal "password": no key could decrypt secret \\(tried 1 key`));
  assert.deepEqual(await data(kube, ns, 'db'), before);

  const fresh = sealSecret(cert, { metadata: { name: 'db', namespace: ns }, stringData: { password: NEW, token: NEW } });
  const truncated = (fresh.spec.encryptedData?.['password'] ?? '').slice(0, 200);
  assert.match(await refused(kube, ns, 'db', { ...fresh.spec, encryptedData: { password: truncated } }), new RegExp(`SealedSecret ${ns}/db \\(strict\\): cannot unseal "password": sealed value is truncated`));
  assert.deepEqual(await data(kube, ns, 'db'), before);

  // "token" is fine, "password" is not: nothing is written, not even the good half.
  assert.match(await refused(kube, ns, 'db', { ...fresh.spec, encryptedData: { ...fresh.spec.encryptedData, password: `${truncated}AAAA` } }), /cannot unseal "password"/);
  assert.deepEqual(await data(kube, ns, 'db'), before, 'no partial Secret');

  // Sealed (strict) for "db", submitted as "cache": the name is part of the encryption label.
  await kube.create(ssPath(ns), { ...fresh, metadata: { name: 'cache', namespace: ns } });
  const renamed = await eventually('cache refused', async () => (await kube.get<Live>(ssPath(ns, 'cache'))).status?.conditions?.find((x) => x.status === 'False')?.message, 20_000);
  assert.match(renamed, new RegExp(`SealedSecret ${ns}/cache \\(strict\\): cannot unseal "password", "token": no key could decrypt secret .*another namespace, name or scope`));
  assert.equal(await data(kube, ns, 'cache'), undefined);

  const events = await eventually('ErrUnsealFailed events', async () => {
    const list = await kube.get<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>(`/api/v1/namespaces/${ns}/events`);
    const bad = list.items.filter((e) => e.reason === 'ErrUnsealFailed');
    return bad.some((e) => e.involvedObject.name === 'cache') && bad.some((e) => /truncated/.test(e.message)) ? list.items : undefined;
  }, 20_000);
  noValue(JSON.stringify(events) + JSON.stringify(await kube.get(ssPath(ns))));
});
