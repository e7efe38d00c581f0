// `fjord dev cluster up|down|status` as scripts use it: the kubeconfig path is the last line, a
// second `up` is a no-op, a crashed cluster does not block the next `up`, `down` leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../kube/client.js';
import { runFjord } from '../../testing/cli.js';
import { isRunning } from '../daemon.js';
import type { ClusterState } from './state.js';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

test('up prints the kubeconfig, is idempotent, recovers from a crash, and down removes every process', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'fjord-state-'));
  const env = { FJORD_STATE_DIR: stateDir };
  const name = 'lifecycle';
  t.after(async () => {
    await runFjord(['dev', 'cluster', 'down', '--name', name], env);
    rmSync(stateDir, { recursive: true, force: true });
  });
  const up = await runFjord(['dev', 'cluster', 'up', '--name', name], env);
  assert.equal(up.code, 0, up.stderr);
  const kubeconfig = lastLine(up.stdout);
  assert.equal(kubeconfig, join(stateDir, 'clusters', name, 'kubeconfig'));
  const state = JSON.parse(readFileSync(join(stateDir, 'clusters', name, 'state.json'), 'utf8')) as ClusterState;
  assert.deepEqual(Object.keys(state.pids), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);

  await t.test('a second up finds the running cluster and changes nothing', async () => {
    const again = await runFjord(['dev', 'cluster', 'up', '--name', name], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(lastLine(again.stdout), kubeconfig);
    assert.match(again.stderr, /already running/);
    const after = JSON.parse(readFileSync(join(stateDir, 'clusters', name, 'state.json'), 'utf8')) as ClusterState;
    assert.deepEqual(after.pids, state.pids);
  });

  await t.test('a crashed API server makes status fail and the next up start a fresh, working cluster', async () => {
    process.kill(state.pids['kube-apiserver'] ?? 0, 'SIGKILL');
    const status = await runFjord(['dev', 'cluster', 'status', '--name', name], env);
    assert.equal(status.code, 1);
    const up2 = await runFjord(['dev', 'cluster', 'up', '--name', name], env);
    assert.equal(up2.code, 0, up2.stderr);
    assert.match(up2.stderr, /cleaning up a previous run/);
    for (const pid of Object.values(state.pids)) assert.equal(isRunning(pid, state.dir), false, `old pid ${pid} must be stopped`);
    const kube = KubeClient.fromKubeconfig(lastLine(up2.stdout));
    try {
      assert.equal(await kube.get('/readyz'), 'ok');
    } finally {
      await kube.close();
    }
  });

  await t.test('down stops every process by pid and removes the state; a second down is harmless', async () => {
    const current = JSON.parse(readFileSync(join(stateDir, 'clusters', name, 'state.json'), 'utf8')) as ClusterState;
    const down = await runFjord(['dev', 'cluster', 'down', '--name', name], env);
    assert.equal(down.code, 0, down.stderr);
    for (const pid of Object.values(current.pids)) assert.equal(isRunning(pid, current.dir), false);
    assert.equal(existsSync(join(stateDir, 'clusters', name)), false);
    const again = await runFjord(['dev', 'cluster', 'down', '--name', name], env);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /nothing to do/);
  });
});

test('an invalid cluster name is refused with a clear message', async () => {
  const r = await runFjord(['dev', 'cluster', 'up', '--name', 'Bad_Name'], { FJORD_STATE_DIR: join(tmpdir(), 'fjord-unused') });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cluster name "Bad_Name" is invalid/);
});
