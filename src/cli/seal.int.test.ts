// `fjord seal` is kubeseal-compatible: what it seals from a Secret manifest is recovered by the real
// kubeseal with the private key, --raw values decrypt for their scope only, and mistakes are named;
// without --cert the certificate comes from the cluster; --merge-into updates a SealedSecret file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exec, ExecError } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';
import { createSelfSignedRsa } from '../dev/pki.js';
import { SealedSecretsController } from '../secrets/sealed/controller.js';
import { encryptionLabel, unseal, unsealSecret, type SealedSecretObject } from '../secrets/sealed/index.js';
import { FJORD_BIN } from '../testing/cli.js';
import { defer } from '../testing/cleanup.js';
import { testKube, testKubeconfig, testNamespace } from '../testing/cluster.js';
import { silentLogger } from '../util/log.js';

const fjord = (args: string[], input = ''): Promise<{ stdout: string }> => exec(process.execPath, [FJORD_BIN, 'seal', ...args], { input });

test('fjord seal output is unsealed by the real kubeseal; --raw is bound to its scope; errors are clear', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-seal-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  const key = await createSelfSignedRsa('sealed-secrets', 2048);
  writeFileSync(join(dir, 'cert.pem'), key.certPem);
  writeFileSync(join(dir, 'key.pem'), key.keyPem);
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\n  namespace: payments\nstringData:\n  password: SuperSecret123\n';

  const sealed = await fjord(['--cert', join(dir, 'cert.pem'), '--format', 'yaml'], secret);
  assert.doesNotMatch(sealed.stdout, /SuperSecret123/);
  const obj = parse(sealed.stdout) as { apiVersion: string; kind: string; spec: { encryptedData: { password: string } } };
  assert.equal(obj.apiVersion, 'bitnami.com/v1alpha1');
  assert.equal(obj.kind, 'SealedSecret');
  const recovered = await exec(binaryPath('kubeseal'), ['--recovery-unseal', '--recovery-private-key', join(dir, 'key.pem'), '--format', 'json'], { input: sealed.stdout, env: { ...process.env, KUBECONFIG: join(dir, 'none') } });
  assert.equal(Buffer.from((JSON.parse(recovered.stdout) as { data: { password: string } }).data.password, 'base64').toString(), 'SuperSecret123');

  writeFileSync(join(dir, 'value'), 'raw-value-1');
  const raw = (await fjord(['--cert', join(dir, 'cert.pem'), '--raw', '--scope', 'namespace-wide', '--namespace', 'payments', '--from-file', join(dir, 'value')])).stdout.trim();
  assert.equal(unseal([key.keyPem], raw, encryptionLabel('namespace-wide', 'payments', '')).toString(), 'raw-value-1');
  assert.throws(() => unseal([key.keyPem], raw, encryptionLabel('namespace-wide', 'other', '')));

  const noCert = await fjord(['--kubeconfig', join(dir, 'no-kubeconfig')], secret).catch((e: unknown) => e);
  assert.ok(noCert instanceof ExecError);
  assert.match(noCert.stderr, /no --cert given, and the cluster cannot be asked: kubeconfig .*no-kubeconfig: cannot read it/);
  const notSecret = await fjord(['--cert', join(dir, 'cert.pem')], 'kind: ConfigMap\nmetadata: {name: x}\n').catch((e: unknown) => e);
  assert.ok(notSecret instanceof ExecError);
  assert.match(notSecret.stderr, /expected a manifest of kind Secret/);
});

test('fjord seal fetches the certificate from the cluster and --merge-into adds or replaces values in a SealedSecret file', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'seal');
  const c = await SealedSecretsController.start({ kube, namespace: ns, log: silentLogger, keyBits: 2048, keyRenewPeriodMs: 0, watchNamespace: ns });
  defer(t, () => c.stop());
  const dir = mkdtempSync(join(tmpdir(), 'fjord-seal-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  const cluster = ['--kubeconfig', testKubeconfig(), '--controller-namespace', ns];

  // No Service to proxy to (Fjord runs outside the cluster): the published ConfigMap is used.
  assert.equal((await fjord([...cluster, '--fetch-cert'])).stdout.trim(), c.certificatePem().trim());
  const fromCluster = JSON.parse((await fjord(cluster, `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"${ns}"},"stringData":{"password":"first-Pa55"}}`)).stdout) as SealedSecretObject;
  assert.equal(Buffer.from(unsealSecret(c.privateKeys(), fromCluster).data['password'] ?? '', 'base64').toString(), 'first-Pa55');
  const wrongNs = await fjord(['--kubeconfig', testKubeconfig(), '--controller-namespace', 'no-such-ns', '--fetch-cert']).catch((e: unknown) => e);
  assert.ok(wrongNs instanceof ExecError);
  assert.match(wrongNs.stderr, /service no-such-ns\/sealed-secrets-controller proxy: HTTP 404; ConfigMap no-such-ns\/sealed-secrets-cert: HTTP 404/);

  // A file written by the real kubeseal (YAML), then merged into by fjord seal: "password" replaced, "user" added, "keep" kept.
  writeFileSync(join(dir, 'cert.pem'), c.certificatePem());
  const original = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\n  labels: {app: shop}\nstringData:\n  password: first-Pa55\n  keep: kept-value\n`;
  const file = join(dir, 'db.yaml');
  writeFileSync(file, (await exec(binaryPath('kubeseal'), ['--cert', join(dir, 'cert.pem'), '--format', 'yaml'], { input: original, env: { ...process.env, KUBECONFIG: join(dir, 'none') } })).stdout);
  const before = parse(readFileSync(file, 'utf8')) as SealedSecretObject;
  const update = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ignored\n  labels: {tier: db}\nstringData:\n  password: second-Pa55\n  user: admin\n';
  assert.equal((await fjord([...cluster, '--merge-into', file], update)).stdout, '', 'nothing printed: the file is updated');
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /^\s*\{/, 'still YAML');
  const merged = parse(text) as SealedSecretObject;
  assert.equal(merged.metadata.name, 'db');
  assert.equal(merged.spec.encryptedData?.['keep'], before.spec.encryptedData?.['keep']);
  assert.deepEqual(merged.spec.template?.metadata?.labels, { app: 'shop', tier: 'db' });
  const opened = unsealSecret(c.privateKeys(), merged).data;
  assert.deepEqual(Object.fromEntries(Object.entries(opened).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])), { keep: 'kept-value', password: 'second-Pa55', user: 'admin' });

  const scope = await fjord([...cluster, '--merge-into', file, '--scope', 'cluster-wide'], update).catch((e: unknown) => e);
  assert.ok(scope instanceof ExecError);
  assert.match(scope.stderr, /db\.yaml: SealedSecret .*\/db is strict; values sealed cluster-wide would not unseal in it/);
  assert.equal(readFileSync(file, 'utf8'), text, 'a refused merge leaves the file as it was');
});
