// `fjord run` as a real process, as an operator starts it: on a cluster without Fjord's CRDs it
// installs them; it reads its settings from the fjord-cm ConfigMap of the namespace it serves (warning
// about a bad value by key), syncs an Application created through the API, follows a pushed commit at
// the configured poll interval, logs one human-readable line per reconcile, and exits 0 on SIGTERM.
// A kubeconfig that cannot be read is one clear line and a non-zero exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCopy } from '../dev/git/repos.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { deploymentYaml } from '../testing/app-fixture.js';
import { runFjord, startFjord } from '../testing/cli.js';
import { privateCluster } from '../testing/cluster.js';
import { uniqueName } from '../testing/controller.js';
import { startGitFixture } from '../testing/git.js';
import { eventually } from '../testing/wait.js';
import { exec } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';

const NS = 'team-fjord';
const HOUR_MS = 3_600_000;

/** `key=value` fields of a text log line. */
function fields(line: string): Record<string, string> {
  return Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

test('fjord run installs its CRDs, honours fjord-cm, syncs and follows Git, logs each reconcile, and stops on SIGTERM', async (t) => {
  const { kube, kubeconfig } = await privateCluster(t, 'run');
  assert.equal(await kube.getOrUndefined('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.fjord.dev'), undefined, 'a fresh cluster has no Fjord CRDs');
  await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await kube.create(`/api/v1/namespaces/${NS}/configmaps`, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fjord-cm' },
    data: { 'timeout.reconciliation': '1h', 'fjord.revisionPoll.interval': '1s', 'status.processors': 'plenty' },
  });
  const git = await startGitFixture(t);
  await git.createRepo('org/config.git');
  const repo = await WorkingCopy.clone(git.http.url('org/config.git'));
  t.after(() => { repo.remove(); });
  const first = await repo.write({ 'web/deployment.yaml': deploymentYaml('web', 1) }).commit('web: one replica');
  await repo.push();
  const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-run-cache-'));
  t.after(() => { rmSync(cacheDir, { recursive: true, force: true }); });

  const fjord = startFjord(t, ['run', '--kubeconfig', kubeconfig, '--log-format', 'text', '--namespace', NS, '--cache-dir', cacheDir, '--port', '0']);
  await fjord.waitForLine(/INFO\s+controller started/, 90_000);
  assert.match(await fjord.waitForLine(/CRDs not found: installing them/), /group=fjord\.dev/);
  for (const plural of ['applications', 'appprojects']) {
    const crd = await kube.get<{ status: { conditions: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.fjord.dev`);
    assert.ok(crd.status.conditions.some((c) => c.type === 'Established' && c.status === 'True'), `${plural}.fjord.dev is Established`);
  }
  assert.ok(await kube.getOrUndefined(`/apis/fjord.dev/v1alpha1/namespaces/${NS}/appprojects/default`), 'the default AppProject is in the served namespace');
  const warning = await fjord.waitForLine(/WARN/);
  assert.match(warning, new RegExp(`ConfigMap ${NS}/fjord-cm: status\\.processors: "plenty" is not a positive integer`));
  const settings = fields(await fjord.waitForLine(/INFO\s+settings /));
  assert.equal(settings['configMap'], `${NS}/fjord-cm`);
  assert.equal(settings['reconciliationMs'], String(HOUR_MS));
  assert.equal(settings['pollIntervalMs'], '1000');
  assert.equal(settings['statusProcessors'], '20', 'the bad value falls back to the default');

  const name = uniqueName('web');
  await kube.create(`/apis/fjord.dev/v1alpha1/namespaces/${NS}/applications`, {
    apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: git.http.url('org/config.git'), targetRevision: 'main', path: 'web' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web-prod' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  });
  const status = async (): Promise<ApplicationStatus | undefined> => (await kube.get(`/apis/fjord.dev/v1alpha1/namespaces/${NS}/applications/${name}`))['status'] as ApplicationStatus | undefined;
  await eventually('Synced and Healthy at the first commit', async () => {
    const s = await status();
    return s?.sync.status === 'Synced' && s.health.status === 'Healthy' && s.sync.revision === first ? s : undefined;
  }, 60_000);

  // One line per reconcile, with the Application, sync and health status, and the duration; in the
  // steady state the next full reconcile is timeout.reconciliation (1h, jittered by ±10%) away.
  const steady = fields(await fjord.waitForLine(new RegExp(`INFO\\s+reconciled app=${NS}/${name} .*sync=Synced health=Healthy .*nextInMs=\\d{7}`), 10_000));
  assert.match(steady['durationMs'] ?? '', /^\d+$/);
  const next = Number(steady['nextInMs']);
  assert.ok(next >= 0.9 * HOUR_MS && next <= 1.1 * HOUR_MS, `next reconcile in ${next} ms`);
  const reconcileLines = fjord.lines.filter((l) => / reconciled app=/.test(l));
  for (const l of reconcileLines) assert.match(l, /^\S+ INFO {2}reconciled app=\S+ reconcileID=\w+ sync=\w+ health=\w+ .*durationMs=\d+ nextInMs=\d+$/);

  const second = await repo.write({ 'web/deployment.yaml': deploymentYaml('web', 3) }).commit('web: three replicas');
  const pushedAt = Date.now();
  await repo.push();
  await eventually('the pushed commit applied', async () => {
    const d = await kube.get<{ spec: { replicas: number } }>('/apis/apps/v1/namespaces/web-prod/deployments/web');
    return d.spec.replicas === 3 ? true : undefined;
  }, 30_000);
  const latency = Date.now() - pushedAt;
  t.diagnostic(`push to applied with a 1 s poll interval: ${latency} ms`);
  await eventually('Synced at the second commit', async () => { const s = await status(); return s?.sync.revision === second && s.sync.status === 'Synced' ? true : undefined; }, 10_000);

  const key = await eventually('the sealed-secrets role created its 4096-bit sealing key', async () => {
    const keys = await kube.get<{ items: { type: string }[] }>(`/api/v1/namespaces/${NS}/secrets`, { query: { labelSelector: 'sealedsecrets.bitnami.com/sealed-secrets-key=active' } });
    return keys.items[0];
  }, 60_000);
  assert.equal(key.type, 'kubernetes.io/tls');
  assert.ok(await kube.getOrUndefined('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/sealedsecrets.bitnami.com'), 'and the SealedSecret CRD');

  // The real kubeseal fetches the certificate from fjord run's HTTP port and seals; Fjord unseals it in the cluster.
  const url = /INFO\s+running .*http=(http:\/\/127\.0\.0\.1:\d+)/.exec(await fjord.waitForLine(/INFO\s+running /, 30_000))?.[1];
  assert.ok(url, 'fjord run logs its HTTP address');
  const plain = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-token', namespace: 'web-prod' }, stringData: { token: 'tok-123-not-real' } });
  const sealed = await exec(binaryPath('kubeseal'), ['--cert', `${url}/v1/cert.pem`, '--format', 'json'], { input: plain, env: { ...process.env, KUBECONFIG: join(cacheDir, 'none') } });
  await kube.create('/apis/bitnami.com/v1alpha1/namespaces/web-prod/sealedsecrets', JSON.parse(sealed.stdout) as Record<string, unknown>);
  const unsealed = await eventually('kubeseal\'s SealedSecret unsealed by Fjord', () => kube.getOrUndefined<{ data: { token: string } }>('/api/v1/namespaces/web-prod/secrets/api-token'), 30_000);
  assert.equal(Buffer.from(unsealed.data.token, 'base64').toString(), 'tok-123-not-real');
  const { code, ms } = await fjord.stop('SIGTERM');
  assert.equal(code, 0, fjord.lines.slice(-10).join('\n'));
  assert.ok(ms < 20_000, `exited ${ms} ms after SIGTERM (a hang, not a slow machine, exceeds this)`);
  assert.ok(fjord.lines.some((l) => /INFO\s+stopping signal=SIGTERM/.test(l)));
  assert.ok(fjord.lines.some((l) => /INFO\s+stopped/.test(l)));
  assert.deepEqual(fjord.lines.filter((l) => /\bERROR\b/.test(l)), [], 'no errors logged');
});

test('fjord run with a kubeconfig that does not exist exits non-zero with one line naming the file', async () => {
  const missing = join(tmpdir(), `fjord-missing-${process.pid}`, 'kubeconfig');
  const r = await runFjord(['run', '--kubeconfig', missing, '--log-format', 'text'], {}, 30_000);
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', new RegExp(`^fjord: error: kubeconfig ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read it: ENOENT`));
});

test('fjord run refuses a --namespace that is not a namespace name', async () => {
  const r = await runFjord(['run', '--kubeconfig', '/nonexistent', '--namespace', 'Not_A_Namespace'], {}, 30_000);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^fjord: error: --namespace Not_A_Namespace: not a valid namespace name/);
});
