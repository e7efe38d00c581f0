import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FJORD } from '../api/flavor.js';
import { KubeClient, type KubeObject } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import { silentLogger } from '../util/log.js';
import { ClusterRegistry, parseClusterSecret, restrictToCluster, type ClusterSpec, type ClusterTarget } from './clusters.js';
import type { DesiredObject } from './desired.js';
import { LiveCache } from './live-cache.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function secret(data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prod', namespace: 'fjord', labels: { 'fjord.dev/secret-type': 'cluster' } }, data: encoded };
}

function parsed(data: Record<string, string>): ClusterSpec {
  const p = parseClusterSecret(secret(data));
  if ('error' in p) throw new Error(p.error);
  return p;
}

function failure(data: Record<string, string>): string {
  const p = parseClusterSecret(secret(data));
  assert.ok('error' in p, 'expected the Secret to be refused');
  return p.error;
}

test('a cluster Secret in Argo CD\'s format gives the server, name, token and CA', () => {
  const c = parsed({
    name: 'prod', server: 'https://prod.example.com:6443/', namespaces: 'web, api', project: 'team-a',
    config: JSON.stringify({ bearerToken: 's3cret', tlsClientConfig: { insecure: false, caData: b64(CA) } }),
  });
  assert.equal(c.server, 'https://prod.example.com:6443');
  assert.equal(c.name, 'prod');
  assert.equal(c.access.token, 's3cret');
  assert.equal(c.access.caPem, CA);
  assert.equal(c.access.insecureSkipTlsVerify, false);
  assert.deepEqual(c.namespaces, ['web', 'api']);
  assert.equal(c.clusterResources, false);
  assert.equal(c.project, 'team-a');
});

test('client certificates, basic auth and insecure TLS are read too', () => {
  const c = parsed({
    name: 'dev', server: 'https://dev.example.com',
    config: JSON.stringify({ username: 'admin', password: 'pw', tlsClientConfig: { insecure: true, certData: b64('CERT'), keyData: b64('KEY') } }),
  });
  assert.deepEqual(c.access.basicAuth, { username: 'admin', password: 'pw' });
  assert.equal(c.access.clientCertPem, 'CERT');
  assert.equal(c.access.clientKeyPem, 'KEY');
  assert.equal(c.access.insecureSkipTlsVerify, true);
  assert.equal(c.access.token, undefined);
  assert.deepEqual(c.namespaces, []);
});

test('a Secret without config is a cluster reached without credentials', () => {
  const c = parsed({ server: 'https://open.example.com' });
  assert.equal(c.name, '');
  assert.equal(c.access.token, undefined);
  assert.equal(c.access.caPem, undefined);
});

test('broken Secrets are refused with a reason naming the Secret, never the credentials', () => {
  assert.match(failure({ name: 'x', config: '{}' }), /^cluster Secret fjord\/prod: has no server$/);
  assert.match(failure({ server: 'prod.example.com' }), /is not an http\(s\) URL/);
  const badJson = failure({ server: 'https://a.example.com', config: '{"bearerToken": "s3cret"' });
  assert.match(badJson, /config is not valid JSON/);
  assert.doesNotMatch(badJson, /s3cret/);
  assert.match(failure({ server: 'https://a.example.com', config: JSON.stringify({ bearerToken: 42 }) }), /config: bearerToken: /);
  assert.match(failure({ server: 'https://a.example.com', config: JSON.stringify({ execProviderConfig: { command: 'aws' } }) }), /config\.execProviderConfig is not supported yet/);
  assert.match(failure({ server: 'https://a.example.com', config: JSON.stringify({ tlsClientConfig: { serverName: 'k8s' } }) }), /config\.tlsClientConfig\.serverName is not supported yet/);
});

test('the fingerprint changes with the Secret\'s data, so a changed Secret rebuilds the client', () => {
  const a = parsed({ server: 'https://a.example.com', config: JSON.stringify({ bearerToken: 'one' }) });
  const b = parsed({ server: 'https://a.example.com', config: JSON.stringify({ bearerToken: 'two' }) });
  const a2 = parsed({ server: 'https://a.example.com', config: JSON.stringify({ bearerToken: 'one' }) });
  assert.notEqual(a.fingerprint, b.fingerprint);
  assert.equal(a.fingerprint, a2.fingerprint);
});

test('a cluster limited to namespaces keeps only the objects it may hold', () => {
  const kube = new KubeClient({ server: 'https://127.0.0.1:1', insecureSkipTlsVerify: false });
  const view = { kube, discovery: new Discovery(kube), live: new LiveCache({ kube, trackingAnnotation: 'x', onOwnedChange: () => undefined }) };
  const cluster: ClusterTarget = { ...view, server: 'https://prod.example.com', name: 'prod', namespaces: ['web'], clusterResources: false };
  const obj = (kind: string, namespaced: boolean, namespace?: string): DesiredObject => ({
    object: { apiVersion: 'v1', kind, metadata: { name: 'a', ...(namespace ? { namespace } : {}) } },
    info: { group: '', version: 'v1', kind, resource: `${kind.toLowerCase()}s`, namespaced, verbs: [] }, file: 'a.yaml',
  });
  const out = restrictToCluster(cluster, { objects: [obj('ConfigMap', true, 'web'), obj('ConfigMap', true, 'api'), obj('Namespace', false)], errors: [] });
  assert.deepEqual(out.objects.map((d) => d.object.metadata?.namespace), ['web']);
  assert.deepEqual(out.errors, [
    'ConfigMap api/a (a.yaml): namespace api is not managed on cluster https://prod.example.com (prod) (namespaces: web)',
    'Namespace a (a.yaml): cluster-scoped resources are not managed on cluster https://prod.example.com (prod) (namespaces: web)',
  ]);
});

test('in-cluster destinations are the controller\'s own cluster; unknown ones are named in the error', async () => {
  const kube = new KubeClient({ server: 'https://127.0.0.1:1', insecureSkipTlsVerify: false });
  const local = { kube, discovery: new Discovery(kube), live: new LiveCache({ kube, trackingAnnotation: 'x', onOwnedChange: () => undefined }) };
  const registry = new ClusterRegistry({ kube, flavor: FJORD, local, log: silentLogger, onOwnedChange: () => undefined });
  assert.deepEqual(registry.find({ server: 'https://kubernetes.default.svc/' }), { server: 'https://kubernetes.default.svc', name: 'in-cluster' });
  assert.deepEqual(registry.find({ name: 'in-cluster' }), { server: 'https://kubernetes.default.svc', name: 'in-cluster' });
  const target = await registry.resolve({ name: 'in-cluster' });
  assert.ok(!('error' in target));
  assert.equal(target.kube, kube);
  assert.equal(target.live, local.live);
  assert.deepEqual(registry.find({ server: 'https://x.example.com' }), {
    registered: false, error: 'cluster https://x.example.com is not registered: add a cluster Secret labelled fjord.dev/secret-type=cluster to namespace fjord',
  });
  assert.match((await registry.resolve({ name: 'prod' }) as { error: string }).error, /^cluster named prod is not registered/);
  await kube.close();
});
