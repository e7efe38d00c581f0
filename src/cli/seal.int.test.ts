// `fjord seal` is kubeseal-compatible: what it seals from a Secret manifest is recovered by the real
// kubeseal with the private key, --raw values decrypt for their scope only, and mistakes are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exec, ExecError } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';
import { createSelfSignedRsa } from '../dev/pki.js';
import { encryptionLabel, unseal } from '../secrets/sealed/index.js';
import { FJORD_BIN } from '../testing/cli.js';
import { defer } from '../testing/cleanup.js';

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

  const noCert = await fjord([], secret).catch((e: unknown) => e);
  assert.ok(noCert instanceof ExecError);
  assert.match(noCert.stderr, /--cert is required/);
  const notSecret = await fjord(['--cert', join(dir, 'cert.pem')], 'kind: ConfigMap\nmetadata: {name: x}\n').catch((e: unknown) => e);
  assert.ok(notSecret instanceof ExecError);
  assert.match(notSecret.stderr, /expected a manifest of kind Secret/);
});
