// End to end: a config repository holds a SealedSecret sealed by the REAL kubeseal against Fjord's
// certificate (fetched over HTTP from the in-process sealed-secrets controller) and a Secret encrypted by
// the REAL sops for an age recipient, both in a kustomize overlay that also transforms them. An
// Application (with its own age Secret, named by annotation) syncs it; the Deployment consuming both
// Secrets through envFrom becomes Healthy; controller logs, Events, Application and SealedSecret objects
// never show a value. Then bad commits (malformed sops metadata, a wrong age key, a missing age Secret)
// are refused with a ComparisonError naming the file and cause, and the running Secret stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';
import type { KubeClient } from '../kube/client.js';
import { FjordHttpServer } from '../server/http.js';
import { startAppFixture, type AppFixture } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';
import { createLogger } from '../util/log.js';
import { SealedSecretsController } from './sealed/controller.js';
import { sealedSecretsRoutes } from './sealed/http-routes.js';
import { AGE_SECRET_ANNOTATION, AGE_SECRET_PROJECTS_ANNOTATION } from './sops/app-keys.js';

const SEALED_VALUE = 'sealed-e2e-Pa55word-8812';
const SOPS_VALUE = 'sops-e2e-api-token-5531';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Fails without echoing the value (an assertion message with the value would leak it into test output). */
function assertNoValue(where: string, text: string): void {
  for (const v of [SEALED_VALUE, SOPS_VALUE]) {
    assert.ok(!text.includes(v) && !text.includes(b64(v)), `a secret value appears in ${where}`);
  }
}

async function ageKey(dir: string, name: string): Promise<{ key: string; recipient: string }> {
  await exec('age-keygen', ['-o', join(dir, name)]);
  const key = readFileSync(join(dir, name), 'utf8');
  return { key, recipient: /public key: (age1[0-9a-z]+)/.exec(key)?.[1] ?? '' };
}

async function sopsEncrypt(dir: string, recipient: string, yaml: string): Promise<string> {
  writeFileSync(join(dir, 'api-keys.yaml'), yaml);
  return (await exec(binaryPath('sops'), ['--encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', join(dir, 'api-keys.yaml')])).stdout;
}

const apiKeys = (value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-keys\ntype: Opaque\nstringData:\n  API_TOKEN: ${value}\n`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          envFrom:
            - secretRef: {name: db-creds}
            - secretRef: {name: api-keys}
`;

async function secretValue(kube: KubeClient, ns: string, name: string, key: string): Promise<string | undefined> {
  const s = await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/${name}`);
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
}

async function waitComparisonError(f: AppFixture, app: string, re: RegExp): Promise<string> {
  const s = await f.waitFor(app, `ComparisonError ${re}`, (x) => x.conditions.some((c) => c.type === 'ComparisonError' && re.test(c.message)), 60_000);
  return s.conditions.find((c) => c.type === 'ComparisonError')?.message ?? '';
}

test('a kustomize overlay with a kubeseal SealedSecret and a sops Secret syncs, the Deployment is Healthy, nothing shows a value; bad commits are refused', async (t) => {
  const f = await startAppFixture(t);
  const ns = f.ctrl.namespace;
  const dir = mkdtempSync(join(tmpdir(), 'fjord-secrets-e2e-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });
  const sealedLogs: string[] = [];
  const sealed = await SealedSecretsController.start({ kube: f.kube, namespace: ns, keyBits: 2048, keyRenewPeriodMs: 0, watchNamespace: f.dest, log: createLogger({ format: 'text', write: (l) => { sealedLogs.push(l); } }) });
  defer(t, () => sealed.stop());
  const http = await FjordHttpServer.start({ host: '127.0.0.1', port: 0, routes: [sealedSecretsRoutes(sealed)] });
  defer(t, () => http.stop());

  const plainSecret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\n  namespace: ${f.dest}\nstringData:\n  DB_PASSWORD: ${SEALED_VALUE}\n`;
  const sealedYaml = (await exec(binaryPath('kubeseal'), ['--cert', `${http.url}/v1/cert.pem`, '--format', 'yaml'], { input: plainSecret, env: { ...process.env, KUBECONFIG: join(dir, 'none') } })).stdout;
  const team = await ageKey(dir, 'team.txt');
  const encrypted = await sopsEncrypt(dir, team.recipient, apiKeys(SOPS_VALUE));
  assertNoValue('the committed files', sealedYaml + encrypted);

  await f.kube.create(`/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: 'team-age', annotations: { [AGE_SECRET_PROJECTS_ANNOTATION]: 'default' } },
    data: { 'team.agekey': b64(team.key) },
  });
  await f.push({
    'base/deployment.yaml': deployment,
    'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    'overlays/prod/sealed-db-creds.yaml': sealedYaml,
    'overlays/prod/api-keys.enc.yaml': encrypted,
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\n- sealed-db-creds.yaml\n- api-keys.enc.yaml\ncommonAnnotations:\n  team: payments\n',
  }, 'web with sealed and sops secrets');
  const app = f.appName('secrets');
  await f.ctrl.createApp(app, f.spec('overlays/prod', { syncPolicy: { automated: { prune: true } } }), { metadata: { annotations: { [AGE_SECRET_ANNOTATION]: 'team-age' } } });

  await f.waitFor(app, 'Synced and Healthy', (x) => x.sync.status === 'Synced' && x.health.status === 'Healthy', 120_000);
  assert.equal(await secretValue(f.kube, f.dest, 'db-creds', 'DB_PASSWORD'), SEALED_VALUE, 'unsealed by the sealed-secrets controller');
  assert.equal(await secretValue(f.kube, f.dest, 'api-keys', 'API_TOKEN'), SOPS_VALUE, 'decrypted at render time with the Application\'s age key');
  const apiKeysLive = await f.kube.get<{ metadata: { annotations?: Record<string, string> } }>(`/api/v1/namespaces/${f.dest}/secrets/api-keys`);
  assert.equal(apiKeysLive.metadata.annotations?.['team'], 'payments', 'kustomize\'s transformation of the sops document is kept');
  const deploy = await f.kube.get<{ status?: { availableReplicas?: number } }>(`/apis/apps/v1/namespaces/${f.dest}/deployments/web`);
  assert.equal(deploy.status?.availableReplicas, 1);

  const scan = async (): Promise<void> => {
    assertNoValue('the controller log', f.ctrl.logs.join('\n'));
    assertNoValue('the sealed-secrets log', sealedLogs.join('\n'));
    assertNoValue('the Application', JSON.stringify(await f.ctrl.getApp(app)));
    assertNoValue('the SealedSecret', JSON.stringify(await f.kube.get(`/apis/bitnami.com/v1alpha1/namespaces/${f.dest}/sealedsecrets/db-creds`)));
    for (const n of [ns, f.dest]) assertNoValue(`the Events of ${n}`, JSON.stringify(await f.kube.get(`/api/v1/namespaces/${n}/events`)));
  };
  await scan();

  // Bad commits: each is refused with a condition naming the file and the cause; api-keys stays.
  const still = async (): Promise<void> => { assert.equal(await secretValue(f.kube, f.dest, 'api-keys', 'API_TOKEN'), SOPS_VALUE, 'the running Secret is left in place'); };
  await f.push({ 'overlays/prod/api-keys.enc.yaml': encrypted.replace(/\n {4}mac: ENC\[[^\n]+/, '') }, 'sops metadata without mac');
  assert.match(await waitComparisonError(f, app, /malformed sops metadata/), /<kustomize overlays\/prod> Secret api-keys: malformed sops metadata: the sops map has no mac/);
  await still();

  const other = await ageKey(dir, 'other.txt');
  await f.push({ 'overlays/prod/api-keys.enc.yaml': await sopsEncrypt(dir, other.recipient, apiKeys(`${SOPS_VALUE}-2`)) }, 'encrypted for a key Fjord lacks');
  assert.match(await waitComparisonError(f, app, /none of the \d+ configured age identities matches/), new RegExp(`overlays/prod/api-keys\\.enc\\.yaml \\(via <kustomize overlays/prod>\\): cannot get the sops data key: .*${other.recipient}`));
  await still();

  await f.kube.request('PATCH', f.ctrl.appPath(app), { body: { metadata: { annotations: { [AGE_SECRET_ANNOTATION]: 'no-such-secret' } } }, contentType: 'application/merge-patch+json' });
  assert.match(await waitComparisonError(f, app, /no-such-secret/), new RegExp(`<kustomize overlays/prod>: the file is SOPS-encrypted, but its age identities cannot be had: Application ${ns}/${app}: annotation ${AGE_SECRET_ANNOTATION} names Secret ${ns}/no-such-secret, which does not exist`));
  await still();
  await scan();
});
