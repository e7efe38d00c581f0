// `fjord demo` starts a real cluster and a Git server holding the example config repository, says
// plainly what is not there yet, and removes everything it started on Ctrl-C.
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
  assert.match(stdout, /Not yet in this demo/, 'the placeholder says plainly what it does not do');
  const repoUrl = /Git repository:\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const kubeconfig = /kubeconfig:\s+(\S+)/.exec(stdout)?.[1] ?? '';

  const wc = await WorkingCopy.clone(repoUrl);
  t.after(() => { wc.remove(); });
  assert.ok(existsSync(join(wc.dir, 'apps/overlays/production-oslo/kustomization.yaml')));
  assert.ok(existsSync(join(wc.dir, 'apps/base/payment-service/deployment.yaml')));
  assert.match(await git(['log', '--format=%s'], wc.dir), /payment-service/);
  const kube = KubeClient.fromKubeconfig(kubeconfig);
  try {
    assert.equal(await kube.get('/readyz'), 'ok');
  } finally {
    await kube.close();
  }

  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  assert.equal(existsSync(join(stateDir, 'clusters', 'demo-test')), false, 'the demo cluster is removed');
  await assert.rejects(git(['ls-remote', repoUrl], tmpdir()), /unable to access|Connection refused|Failed to connect/);
});
