// `fjord demo` starts a real cluster, a Git server holding the example config repository and Fjord's
// controller, syncs the example Applications, heals drift, says plainly what is not there yet, and
// removes everything it started on Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../kube/client.js';
import { git, WorkingCopy } from '../dev/git/repos.js';
import { FJORD_BIN } from '../testing/cli.js';
import { eventually } from '../testing/wait.js';

test('fjord demo serves the example repository next to a live cluster and cleans up on Ctrl-C', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'fjord-demo-state-'));
  t.after(() => { rmSync(stateDir, { recursive: true, force: true }); });
  const child = spawn(process.execPath, [FJORD_BIN, 'demo', '--cluster-name', 'demo-test'], {
    env: { ...process.env, FJORD_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });

  await eventually('demo ready', () => {
    if (child.exitCode !== null) throw new Error(`demo exited early: ${stderr}`);
    return Promise.resolve(stdout.includes('demo ready') ? true : undefined);
  }, 180_000);
  const uiUrl = /Web UI:\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const token = /API token:\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const page = await fetch(uiUrl);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="root">/, 'the web UI is served');
  assert.equal((await fetch(`${uiUrl}api/v1/applications`)).status, 401);
  const list = await (await fetch(`${uiUrl}api/v1/applications`, { headers: { authorization: `Bearer ${token}` } })).json() as { items: { metadata: { name: string } }[] };
  assert.deepEqual(list.items.map((a) => a.metadata.name), ['payment-service-oslo', 'payment-service-staging']);
  assert.match(stdout, /Applications:\s+payment-service-oslo, payment-service-staging/);
  const repoUrl = /Git repository:\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const kubeconfig = /kubeconfig:\s+(\S+)/.exec(stdout)?.[1] ?? '';

  const wc = await WorkingCopy.clone(repoUrl);
  t.after(() => { wc.remove(); });
  assert.ok(existsSync(join(wc.dir, 'apps/overlays/production-oslo/kustomization.yaml')));
  assert.ok(existsSync(join(wc.dir, 'apps/base/payment-service/deployment.yaml')));
  assert.match(await git(['log', '--format=%s'], wc.dir), /payment-service/);
  const kube = KubeClient.fromKubeconfig(kubeconfig);
  try {
    const path = '/apis/apps/v1/namespaces/payments/deployments/payment-service';
    const dep = await kube.get<{ spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }>(path);
    assert.equal(dep.spec.replicas, 3, 'the production-oslo overlay is applied');
    assert.equal(dep.spec.template.spec.containers[0]?.image, 'registry.example.com/payment-service:1.0.0');
    assert.ok(await kube.getOrUndefined('/apis/apps/v1/namespaces/payments-staging/deployments/payment-service'));
    await kube.request('PATCH', path, { body: { spec: { replicas: 1 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-scale' } });
    await eventually('drift healed', async () => ((await kube.get<{ spec: { replicas: number } }>(path)).spec.replicas === 3 ? true : undefined), 20_000);
  } finally {
    await kube.close();
  }

  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  assert.equal(existsSync(join(stateDir, 'clusters', 'demo-test')), false, 'the demo cluster is removed');
  await assert.rejects(git(['ls-remote', repoUrl], tmpdir()), /unable to access|Connection refused|Failed to connect/);
});
