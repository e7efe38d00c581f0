// `fjord image set` as CI runs it: the real CLI against a real Git server (git http-backend with basic
// auth). It commits only the kustomization, pushes, wins a push race by rebasing once, loses a second
// race with exit code 6, refuses a dirty tree, and never prints the credentials in the remote's URL.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../exec/exec.js';
import { binaryPath } from '../dev/paths.js';
import { git, WorkingCopy } from '../dev/git/repos.js';
import { runFjord, type CliResult } from '../testing/cli.js';
import { defer } from '../testing/cleanup.js';
import { startGitFixture, withCredentials, type GitFixture } from '../testing/git.js';

const OVERLAY = `# Production overlay (Oslo); CI bumps the tag.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
    - ../../base     # shared manifests
images:
    -   name: payment-service   # as in base/deployment.yaml
        newName: ghcr.io/acme/payment-service
        newTag: "1.4.1"   # bumped by CI
`;
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payment-service}\nspec:\n  selector: {matchLabels: {app: p}}\n  template:\n    metadata: {labels: {app: p}}\n    spec: {containers: [{name: app, image: payment-service}]}\n';
const SET = 'payment-service=ghcr.io/acme/payment-service:1.4.2';
const MESSAGE = 'image: payment-service → ghcr.io/acme/payment-service:1.4.2 (overlays/production)';

interface Remote { readonly g: GitFixture; readonly url: string; clone(): Promise<WorkingCopy> }

/** A config repository on the authenticated HTTP server with a base and a production overlay. */
async function configRepo(t: TestContext): Promise<Remote> {
  const g = await startGitFixture(t);
  await g.createRepo('acme/config.git');
  const url = withCredentials(g.httpAuth.url('acme/config.git'), g.auth);
  const clone = async (): Promise<WorkingCopy> => {
    const wc = await WorkingCopy.clone(url);
    defer(t, () => { wc.remove(); });
    return wc;
  };
  const seed = await clone();
  seed.write({ 'README.md': 'config\n', 'base/deployment.yaml': DEPLOYMENT, 'base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'overlays/production/kustomization.yaml': OVERLAY });
  await seed.commit('config repository');
  await seed.push();
  return { g, url, clone };
}

/** What a CI job's environment looks like: no machine or user git config. */
function ciEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...extra };
}

function noSecrets(r: CliResult, g: GitFixture): void {
  assert.ok(!`${r.stdout}${r.stderr}`.includes(g.auth.password), 'the password in the remote URL was printed');
}

async function otherPipelinePushes(wc: WorkingCopy, file: string, text: string): Promise<string> {
  wc.write({ [file]: text });
  const sha = await wc.commit(`another pipeline changes ${file}`);
  await wc.push();
  return sha;
}

test('--push commits only the kustomization, rebases once when another pipeline pushed first, and a second run changes nothing', async (t) => {
  const remote = await configRepo(t);
  const ci = await remote.clone();
  const other = await remote.clone();
  const racer = await otherPipelinePushes(other, 'README.md', 'config, edited meanwhile\n');
  const env = ciEnv({ GIT_AUTHOR_NAME: 'CI Bot', GIT_AUTHOR_EMAIL: 'ci@acme.invalid' });

  const r = await runFjord(['image', 'set', SET, '--dir', join(ci.dir, 'overlays/production'), '--push', '-o', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  noSecrets(r, remote.g);
  const out = JSON.parse(r.stdout) as { changed: boolean; images: { name: string; action: string; before: string; after: string }[]; commit: { sha: string; message: string; author: string }; push: { rebased: boolean; ref: string } };
  assert.deepEqual(out.images.map((i) => [i.name, i.action, i.before, i.after]), [['payment-service', 'updated', 'ghcr.io/acme/payment-service:1.4.1', 'ghcr.io/acme/payment-service:1.4.2']]);
  assert.equal(out.commit.message, MESSAGE);
  assert.equal(out.commit.author, 'CI Bot <ci@acme.invalid>');
  assert.equal(out.push.rebased, true);
  assert.equal(out.push.ref, 'refs/heads/main');

  const check = await remote.clone();
  assert.equal(await git(['rev-parse', 'HEAD'], check.dir), out.commit.sha);
  assert.equal(await git(['rev-parse', 'HEAD^'], check.dir), racer);
  assert.equal(await git(['show', '--name-only', '--format=', 'HEAD'], check.dir), 'overlays/production/kustomization.yaml');
  assert.equal(await git(['log', '-1', '--format=%an <%ae>|%s'], check.dir), `CI Bot <ci@acme.invalid>|${MESSAGE}`);
  assert.equal(readFileSync(join(check.dir, 'overlays/production/kustomization.yaml'), 'utf8'), OVERLAY.replace('"1.4.1"', '"1.4.2"'));
  const built = await exec(binaryPath('kubectl'), ['kustomize', join(check.dir, 'overlays/production')]);
  assert.match(built.stdout, /image: ghcr\.io\/acme\/payment-service:1\.4\.2\n/);

  const again = await runFjord(['image', 'set', SET, '--dir', join(ci.dir, 'overlays/production'), '--push'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `payment-service: unchanged (ghcr.io/acme/payment-service:1.4.2)\n${join(ci.dir, 'overlays/production/kustomization.yaml')} unchanged; nothing to commit\n`);
  assert.equal(await git(['ls-remote', remote.url, 'refs/heads/main'], ci.dir), `${out.commit.sha}\trefs/heads/main`);
});

test('--commit refuses a dirty working tree; --allow-dirty commits only the kustomization, as fjord <fjord@localhost> without git config', async (t) => {
  const remote = await configRepo(t);
  const ci = await remote.clone();
  const dir = join(ci.dir, 'overlays/production');
  writeFileSync(join(ci.dir, 'README.md'), 'local edit\n');
  const head = await git(['rev-parse', 'HEAD'], ci.dir);

  const refused = await runFjord(['image', 'set', SET, '--dir', dir, '--commit'], ciEnv());
  assert.equal(refused.code, 5);
  assert.match(refused.stderr, /uncommitted changes \(README\.md\).*--allow-dirty/);
  assert.equal(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'), OVERLAY);
  assert.equal(await git(['rev-parse', 'HEAD'], ci.dir), head);

  const r = await runFjord(['image', 'set', SET, '--dir', dir, '--commit', '--allow-dirty'], ciEnv());
  assert.equal(r.code, 0, r.stderr);
  const sha = await git(['rev-parse', 'HEAD'], ci.dir);
  assert.equal(r.stdout, `payment-service: ghcr.io/acme/payment-service:1.4.1 → ghcr.io/acme/payment-service:1.4.2\ncommitted ${sha} ${MESSAGE}\n`);
  assert.equal(await git(['show', '--name-only', '--format=%an <%ae>', 'HEAD'], ci.dir), 'fjord <fjord@localhost>\n\noverlays/production/kustomization.yaml');
  assert.equal(await git(['status', '--porcelain'], ci.dir), 'M README.md');
  assert.equal(await git(['ls-remote', remote.url, 'refs/heads/main'], ci.dir), `${head}\trefs/heads/main`, '--commit alone does not push');
});

test('a push rejected again after the rebase exits 6 and keeps the commit local; a refused push exits 1; credentials never show', async (t) => {
  const remote = await configRepo(t);
  const ci = await remote.clone();
  const other = await remote.clone();
  await otherPipelinePushes(other, 'README.md', 'first racer\n');
  // A third pipeline pushes while this one rebases: after the rebase (post-rewrite hook), before its second push.
  const hook = join(ci.dir, '.git', 'hooks', 'post-rewrite');
  writeFileSync(hook, `#!/bin/sh\nunset $(git rev-parse --local-env-vars)\ncd '${other.dir}' && git -c user.name=racer -c user.email=r@x commit -q --allow-empty -m 'second racer' && git push -q origin HEAD:refs/heads/main\n`);
  chmodSync(hook, 0o755);

  const r = await runFjord(['image', 'set', SET, '--dir', join(ci.dir, 'overlays/production'), '--push'], ciEnv());
  assert.equal(r.code, 6, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /^fjord: error: git push to origin refs\/heads\/main rejected twice: the remote moved again after rebasing onto it; the commit is still local/);
  noSecrets(r, remote.g);
  assert.equal(await git(['log', '-1', '--format=%s'], ci.dir), MESSAGE);
  const remoteHead = (await git(['ls-remote', remote.url, 'refs/heads/main'], ci.dir)).split('\t')[0];
  assert.equal(await git(['log', '-1', '--format=%s', remoteHead ?? ''], other.dir), 'second racer');

  const wrong = withCredentials(remote.g.httpAuth.url('acme/config.git'), { username: 'fjord', password: 'wrong-password-31337' });
  await git(['remote', 'set-url', 'origin', wrong], ci.dir);
  const denied = await runFjord(['image', 'set', 'payment-service=*:1.4.3', '--dir', join(ci.dir, 'overlays/production'), '--push'], ciEnv());
  assert.equal(denied.code, 1, `${denied.stdout}${denied.stderr}`);
  assert.match(denied.stderr, /^fjord: error: git push to origin refs\/heads\/main failed: /);
  assert.ok(!denied.stderr.includes('wrong-password-31337'), denied.stderr);
});

test('two pipelines bumping the same image: the rebase conflicts, exits 6, and the clone is left clean with the commit local', async (t) => {
  const remote = await configRepo(t);
  const ci = await remote.clone();
  const other = await remote.clone();
  const racer = await otherPipelinePushes(other, 'overlays/production/kustomization.yaml', OVERLAY.replace('"1.4.1"', '"1.4.3"'));

  const r = await runFjord(['image', 'set', SET, '--dir', join(ci.dir, 'overlays/production'), '--push'], ciEnv());
  assert.equal(r.code, 6, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /rejected because the remote moved, and rebasing onto it failed .*the commit is still local/s);
  noSecrets(r, remote.g);
  assert.equal(await git(['status', '--porcelain'], ci.dir), '');
  assert.equal(await git(['log', '-1', '--format=%s'], ci.dir), MESSAGE);
  assert.equal(await git(['ls-remote', remote.url, 'refs/heads/main'], ci.dir), `${racer}\trefs/heads/main`);
});

test('clear errors and exit codes: bad argument 2, no kustomization 3, not a git repository 4', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-image-'));
  defer(t, () => { rmSync(dir, { recursive: true, force: true }); });

  const badArg = await runFjord(['image', 'set', 'payment-service', '--dir', dir]);
  assert.equal(badArg.code, 2);
  assert.match(badArg.stderr, /^fjord: error: image argument "payment-service": nothing to set/);

  const none = await runFjord(['image', 'set', SET, '--dir', dir]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /no kustomization file \(looked for kustomization\.yaml, kustomization\.yml, Kustomization\)/);

  writeFileSync(join(dir, 'kustomization.yml'), OVERLAY);
  const noRepo = await runFjord(['image', 'set', SET, '--dir', dir, '--commit'], ciEnv({ GIT_CEILING_DIRECTORIES: tmpdir() }));
  assert.equal(noRepo.code, 4);
  assert.match(noRepo.stderr, /not inside a git repository/);
  assert.equal(readFileSync(join(dir, 'kustomization.yml'), 'utf8'), OVERLAY);

  const edit = await runFjord(['image', 'set', SET, 'redis:7.4', '--dir', dir, '-o', 'json']);
  assert.equal(edit.code, 0, edit.stderr);
  assert.deepEqual((JSON.parse(edit.stdout) as { images: { action: string }[] }).images.map((i) => i.action), ['updated', 'added']);
  assert.match(readFileSync(join(dir, 'kustomization.yml'), 'utf8'), /newTag: "1\.4\.2" {3}# bumped by CI\n {4}- {3}name: redis\n {8}newTag: "7\.4"\n$/);
});
