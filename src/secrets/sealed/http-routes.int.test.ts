// /v1/cert.pem, /v1/verify and /v1/rotate served by `fjord run` (role sealed-secrets), exercised by the
// REAL kubeseal (--fetch-cert, --validate, --re-encrypt) and plain HTTP. kubeseal reaches them through
// the API server's service proxy (.../services/http:sealed-secrets-controller:http/proxy/v1/...), which
// resolves the Service through its Endpoints; the API server refuses loopback Endpoints addresses and
// all traffic here stays on 127.0.0.0/8, so that one hop cannot run locally. The test therefore gives
// kubeseal a kubeconfig pointing at a loopback stand-in for it: requests for the Service object go to
// the real API server, the proxied paths go to Fjord's port; everything else is real. The Service and
// Endpoints that fjord run publishes in a Pod (POD_IP) are checked as objects; nothing dials their IP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, ExecError } from '../../exec/exec.js';
import { binaryPath } from '../../dev/paths.js';
import { createSelfSignedRsa } from '../../dev/pki.js';
import type { KubeClient } from '../../kube/client.js';
import { startFjord } from '../../testing/cli.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testKubeconfig, testNamespace } from '../../testing/cluster.js';
import { eventually } from '../../testing/wait.js';
import { KEY_LABEL } from './keys.js';
import { unsealSecret, type SealedSecretObject } from './sealed-secret.js';

const KUBESEAL = binaryPath('kubeseal');
const VALUE = 'verify-and-rotate-secret-31';
const FAKE_POD_IP = '192.0.2.10'; // TEST-NET-1: only written into objects, never dialled

/** The API server's service-proxy hop, on loopback: Service reads go to the real API server, proxied paths to Fjord. */
async function serviceProxyStandIn(t: TestContext, kube: KubeClient, fjordUrl: string): Promise<string> {
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const proxied = /^\/api\/v1\/namespaces\/[^/]+\/services\/http:sealed-secrets-controller:[^/]*\/proxy(\/.*)$/.exec(url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = proxied
        ? fetch(`${fjordUrl}${proxied[1] ?? '/'}`, { method: req.method ?? 'GET', ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type') ?? 'text/plain', body: await r.text() }))
        : /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/?]+$/.test(url.split('?')[0] ?? '')
          ? kube.get(url.split('?')[0] ?? '').then((o) => ({ status: 200, type: 'application/json', body: JSON.stringify(o) }))
          : Promise.resolve({ status: 404, type: 'application/json', body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, message: `not served: ${url}` }) });
      forward.then((r) => { res.writeHead(r.status, { 'content-type': r.type }).end(r.body); }, (e: unknown) => { res.writeHead(502).end(String(e)); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

function kubeconfigFor(dir: string, server: string): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`);
  return file;
}

test('kubeseal --fetch-cert, --validate and --re-encrypt work against fjord run; the Service is published for a Pod IP', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss-http');
  const dir = mkdtempSync(join(tmpdir(), 'fjord-ss-http-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  const fjord = startFjord(t, ['run', '--kubeconfig', testKubeconfig(), '--namespace', ns, '--roles', 'sealed-secrets', '--sealed-secrets-namespace', ns, '--port', '0', '--log-format', 'text', '--key-renew-period', '0', '--cache-dir', dir], { POD_IP: FAKE_POD_IP });
  const url = /http=(http:\/\/127\.0\.0\.1:\d+)/.exec(await fjord.waitForLine(/INFO\s+running /, 90_000))?.[1] ?? '';
  const port = Number(new URL(url).port);

  // In a Pod, fjord run publishes the Service kubeseal looks for, with its Pod IP and port as endpoint.
  const svc = await kube.get<{ spec: { ports: { name: string }[]; selector?: unknown } }>(`/api/v1/namespaces/${ns}/services/sealed-secrets-controller`);
  assert.equal(svc.spec.ports[0]?.name, 'http');
  assert.equal(svc.spec.selector, undefined);
  const eps = await kube.get<{ subsets: { addresses: { ip: string }[]; ports: { port: number }[] }[] }>(`/api/v1/namespaces/${ns}/endpoints/sealed-secrets-controller`);
  assert.deepEqual([eps.subsets[0]?.addresses[0]?.ip, eps.subsets[0]?.ports[0]?.port], [FAKE_POD_IP, port]);

  const env = { ...process.env, KUBECONFIG: kubeconfigFor(dir, await serviceProxyStandIn(t, kube, url)) };
  const kubeseal = (args: string[], input = ''): Promise<{ stdout: string }> => exec(KUBESEAL, ['--controller-namespace', ns, ...args], { env, input });
  const cert = (await kubeseal(['--fetch-cert'])).stdout;
  assert.equal(cert, await (await fetch(`${url}/v1/cert.pem`)).text());

  const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: ns }, stringData: { token: VALUE } });
  const sealed = (await kubeseal(['--format', 'json'], secret)).stdout;
  await kubeseal(['--validate'], sealed);
  const foreign = await createSelfSignedRsa('someone-else', 2048);
  writeFileSync(join(dir, 'foreign.pem'), foreign.certPem);
  const notOurs = (await kubeseal(['--cert', join(dir, 'foreign.pem'), '--format', 'json'], secret)).stdout;
  const refused = await kubeseal(['--validate'], notOurs).catch((e: unknown) => e);
  assert.ok(refused instanceof ExecError, 'kubeseal --validate fails for a value no key opens');
  assert.match(refused.stderr, /unable to decrypt sealed secret/);

  // A new key (brought in); --re-encrypt moves the value to it, same scope, other fields kept.
  const next = await createSelfSignedRsa('next-key', 2048);
  await new Promise((r) => setTimeout(r, 1100));
  await kube.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'next-key', labels: { [KEY_LABEL]: 'active' } }, data: { 'tls.crt': Buffer.from(next.certPem).toString('base64'), 'tls.key': Buffer.from(next.keyPem).toString('base64') } });
  await eventually('the new key is the sealing key', async () => ((await (await fetch(`${url}/v1/cert.pem`)).text()) === next.certPem ? true : undefined), 15_000);
  const rotated = JSON.parse((await kubeseal(['--re-encrypt', '--format', 'json'], sealed)).stdout) as SealedSecretObject;
  assert.equal(rotated.metadata.name, 'api');
  assert.notEqual(rotated.spec.encryptedData?.['token'], (JSON.parse(sealed) as SealedSecretObject).spec.encryptedData?.['token']);
  const opened = unsealSecret([next.keyPem], rotated);
  assert.equal(Buffer.from(opened.data['token'] ?? '', 'base64').toString(), VALUE, 'the re-encrypted value opens with the newest key alone');
  assert.doesNotMatch(JSON.stringify(fjord.lines), new RegExp(VALUE), 'no value in fjord run\'s log');
});

test('/v1 paths over plain HTTP: verify answers 200 or 409, bad bodies 400, wrong methods 405; no value in any answer', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ss-http');
  const dir = mkdtempSync(join(tmpdir(), 'fjord-ss-http-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  const fjord = startFjord(t, ['run', '--kubeconfig', testKubeconfig(), '--namespace', ns, '--roles', 'sealed-secrets', '--sealed-secrets-namespace', ns, '--port', '0', '--log-format', 'text', '--cache-dir', dir]);
  const url = /http=(http:\/\/127\.0\.0\.1:\d+)/.exec(await fjord.waitForLine(/INFO\s+running /, 90_000))?.[1] ?? '';
  assert.equal(await kube.getOrUndefined(`/api/v1/namespaces/${ns}/services/sealed-secrets-controller`), undefined, 'outside a Pod no Service is published');
  writeFileSync(join(dir, 'cert.pem'), await (await fetch(`${url}/v1/cert.pem`)).text());
  const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: web, namespace: ${ns}}\nstringData: {password: ${VALUE}}\n`;
  const sealedYaml = (await exec(KUBESEAL, ['--cert', join(dir, 'cert.pem'), '--format', 'yaml'], { input: secret, env: { ...process.env, KUBECONFIG: join(dir, 'none') } })).stdout;

  const post = async (path: string, body: string): Promise<{ status: number; text: string }> => {
    const r = await fetch(`${url}${path}`, { method: 'POST', body });
    return { status: r.status, text: await r.text() };
  };
  assert.equal((await post('/v1/verify', sealedYaml)).status, 200, 'YAML is accepted as kubeseal sends the file as it is');
  const moved = await post('/v1/verify', sealedYaml.replaceAll(`namespace: ${ns}`, 'namespace: elsewhere'));
  assert.equal(moved.status, 409);
  assert.match(moved.text, /SealedSecret elsewhere\/web: cannot unseal "password"/);
  const rotate = await post('/v1/rotate', sealedYaml);
  assert.equal(rotate.status, 200);
  assert.equal((JSON.parse(rotate.text) as { kind: string }).kind, 'SealedSecret');
  assert.equal((await post('/v1/rotate', 'kind: ConfigMap\n')).status, 400);
  assert.equal((await post('/v1/verify', '{not json')).status, 400);
  assert.equal((await fetch(`${url}/v1/verify`)).status, 405);
  assert.equal((await fetch(`${url}/v1/cert.pem`, { method: 'POST' })).status, 405);
  assert.doesNotMatch(rotate.text + moved.text + fjord.lines.join('\n'), new RegExp(VALUE));
});
