// The Sealed Secrets controller on the real test cluster: unsealing into an owned Secret with
// Synced=True and events, garbage collection with the SealedSecret, refusal of a SealedSecret moved to
// another namespace, no takeover of an unowned Secret, key reuse across restarts and bring-your-own-key.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { createSelfSignedRsa } from '../../dev/pki.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { eventually } from '../../testing/wait.js';
import { silentLogger } from '../../util/log.js';
import { SealedSecretsController } from './controller.js';
import { KEY_LABEL } from './keys.js';
import { sealSecret, type SealedSecretObject } from './sealed-secret.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const PASSWORD = 'SuperSecret123-do-not-leak';

interface Condition { type: string; status: string; reason?: string; message?: string }
interface LiveSealed { metadata: { uid: string; generation?: number }; status?: { observedGeneration?: number; conditions?: Condition[] } }
interface LiveSecret { metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] }; type?: string; data?: Record<string, string> }
interface EventObj { type: string; reason: string; message: string }

/** A controller with its keys in `namespace`, unsealing the SealedSecrets of `watch` (default: the same). */
async function start(t: TestContext, kube: KubeClient, namespace: string, watch = namespace): Promise<SealedSecretsController> {
  const c = await SealedSecretsController.start({ kube, namespace, log: silentLogger, keyBits: 2048, watchNamespace: watch });
  defer(t, () => c.stop());
  return c;
}

const ssPath = (ns: string, name = ''): string => `/apis/bitnami.com/v1alpha1/namespaces/${ns}/sealedsecrets${name ? `/${name}` : ''}`;

async function createSealed(kube: KubeClient, ns: string, obj: SealedSecretObject): Promise<void> {
  await kube.create(ssPath(ns), { ...obj });
}

function sealed(cert: string, ns: string, name: string): SealedSecretObject {
  return sealSecret(cert, {
    metadata: { name, namespace: ns, labels: { app: 'shop' }, annotations: { team: 'payments' } },
    type: 'Opaque',
    data: { password: b64(PASSWORD) },
    stringData: { user: 'admin' },
  });
}

async function synced(kube: KubeClient, ns: string, name: string, status: 'True' | 'False'): Promise<LiveSealed & { cond: Condition }> {
  return eventually(`SealedSecret ${ns}/${name} Synced=${status}`, async () => {
    const ss = await kube.get<LiveSealed>(ssPath(ns, name));
    const cond = ss.status?.conditions?.find((c) => c.type === 'Synced');
    return cond?.status === status ? { ...ss, cond } : undefined;
  }, 30_000);
}

async function events(kube: KubeClient, ns: string, name: string): Promise<EventObj[]> {
  const list = await kube.get<{ items: EventObj[] }>(`/api/v1/namespaces/${ns}/events`, { query: { fieldSelector: `involvedObject.name=${name},involvedObject.kind=SealedSecret` } });
  return list.items;
}

test('a SealedSecret becomes an owned Secret with Synced=True, and is garbage-collected with it', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss');
  const c = await start(t, kube, ns);
  await createSealed(kube, ns, sealed(c.certificatePem(), ns, 'db'));

  const ss = await synced(kube, ns, 'db', 'True');
  assert.equal(ss.status?.observedGeneration, ss.metadata.generation);
  const secret = await kube.get<LiveSecret>(`/api/v1/namespaces/${ns}/secrets/db`);
  assert.deepEqual(secret.data, { password: b64(PASSWORD), user: b64('admin') });
  assert.equal(secret.type, 'Opaque');
  assert.equal(secret.metadata.labels?.['app'], 'shop');
  assert.equal(secret.metadata.annotations?.['team'], 'payments');
  assert.deepEqual(secret.metadata.ownerReferences, [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'db', uid: ss.metadata.uid, controller: true }]);
  await eventually('Unsealed event', async () => ((await events(kube, ns, 'db')).some((e) => e.type === 'Normal' && e.reason === 'Unsealed') ? true : undefined), 15_000);

  // A Secret deleted by hand is put back from its SealedSecret.
  await kube.delete(`/api/v1/namespaces/${ns}/secrets/db`);
  const back = await eventually('Secret db recreated', () => kube.getOrUndefined<LiveSecret>(`/api/v1/namespaces/${ns}/secrets/db`), 15_000);
  assert.deepEqual(back.data, { password: b64(PASSWORD), user: b64('admin') });

  // The garbage collector in kube-controller-manager only notices a CRD created moments ago on its
  // 30 s discovery resync (measured: ~40 s after the CRD was installed), so the first collection
  // may take longer than 30 s; once it knows the type, collection is prompt.
  const gone = (name: string) => async (): Promise<true | undefined> => ((await kube.getOrUndefined(`/api/v1/namespaces/${ns}/secrets/${name}`)) ? undefined : true);
  await kube.delete(ssPath(ns, 'db'));
  await eventually('Secret db garbage-collected', gone('db'), 90_000);

  await createSealed(kube, ns, sealed(c.certificatePem(), ns, 'db2'));
  await synced(kube, ns, 'db2', 'True');
  await kube.delete(ssPath(ns, 'db2'));
  await eventually('Secret db2 garbage-collected', gone('db2'), 30_000);
});

test('a strict SealedSecret copied to another namespace fails with Synced=False and no Secret', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss');
  const other = await testNamespace(t, kube, 'ss-other');
  const c = await start(t, kube, ns, other);
  const original = sealed(c.certificatePem(), ns, 'db');
  const moved: SealedSecretObject = { ...original, metadata: { name: 'db', namespace: other }, spec: { ...original.spec, template: { ...original.spec.template, metadata: { name: 'db', namespace: other } } } };
  await createSealed(kube, other, moved);

  const ss = await synced(kube, other, 'db', 'False');
  assert.match(ss.cond.message ?? '', /Failed to unseal/);
  assert.doesNotMatch(ss.cond.message ?? '', new RegExp(`${PASSWORD}|${b64(PASSWORD)}`));
  const warning = await eventually('ErrUnsealFailed event', async () => (await events(kube, other, 'db')).find((e) => e.type === 'Warning' && e.reason === 'ErrUnsealFailed'), 15_000);
  assert.doesNotMatch(warning.message, new RegExp(`${PASSWORD}|${b64(PASSWORD)}`));
  assert.equal(await kube.getOrUndefined(`/api/v1/namespaces/${other}/secrets/db`), undefined);
});

test('an existing Secret the SealedSecret does not own is left alone unless annotated managed', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss');
  const c = await start(t, kube, ns);
  await kube.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, data: { password: b64('hand-made') } });
  await createSealed(kube, ns, sealed(c.certificatePem(), ns, 'db'));

  const ss = await synced(kube, ns, 'db', 'False');
  assert.equal(ss.cond.message, 'Resource "db" already exists and is not managed by SealedSecret');
  const secret = await kube.get<LiveSecret>(`/api/v1/namespaces/${ns}/secrets/db`);
  assert.deepEqual(secret.data, { password: b64('hand-made') });
  assert.equal(secret.metadata.ownerReferences, undefined);

  // The managed annotation hands it over; touching the SealedSecret's metadata triggers a reconcile.
  await kube.request('PATCH', `/api/v1/namespaces/${ns}/secrets/db`, { body: { metadata: { annotations: { 'sealedsecrets.bitnami.com/managed': 'true' } } }, contentType: 'application/merge-patch+json' });
  await kube.request('PATCH', ssPath(ns, 'db'), { body: { metadata: { annotations: { touched: 'yes' } } }, contentType: 'application/merge-patch+json' });
  await synced(kube, ns, 'db', 'True');
  const taken = await kube.get<LiveSecret>(`/api/v1/namespaces/${ns}/secrets/db`);
  assert.equal(taken.data?.['password'], b64(PASSWORD));
  assert.equal(taken.metadata.ownerReferences?.[0]?.controller, true);
});

test('a restart reuses the stored key; a key Secret brought in beforehand is used', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss');
  const first = await SealedSecretsController.start({ kube, namespace: ns, log: silentLogger, keyBits: 2048, watchNamespace: ns });
  const cert = first.certificatePem();
  await first.stop();
  const second = await start(t, kube, ns);
  assert.equal(second.certificatePem(), cert);
  const keys = await kube.get<{ items: KubeObject[] }>(`/api/v1/namespaces/${ns}/secrets`, { query: { labelSelector: `${KEY_LABEL}=active` } });
  assert.equal(keys.items.length, 1);
  assert.match(keys.items[0]?.metadata?.name ?? '', /^sealed-secrets-key.+/);
  assert.equal((keys.items[0] as { type?: string }).type, 'kubernetes.io/tls');

  const byokNs = await testNamespace(t, kube, 'ss-byok');
  const own = await createSelfSignedRsa('my-own-key', 2048);
  const pkcs1 = createPrivateKey(own.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
  await kube.create(`/api/v1/namespaces/${byokNs}/secrets`, {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
    metadata: { name: 'my-sealing-key', namespace: byokNs, labels: { [KEY_LABEL]: 'active' } },
    data: { 'tls.crt': b64(own.certPem), 'tls.key': b64(pkcs1) },
  });
  await second.stop();
  const byok = await start(t, kube, byokNs);
  assert.equal(byok.certificatePem(), own.certPem);
  await createSealed(kube, byokNs, sealed(own.certPem, byokNs, 'app'));
  await synced(kube, byokNs, 'app', 'True');
  const secret = await kube.get<LiveSecret>(`/api/v1/namespaces/${byokNs}/secrets/app`);
  assert.equal(secret.data?.['password'], b64(PASSWORD));
});
