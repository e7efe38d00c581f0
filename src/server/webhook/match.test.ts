// Which Applications a push concerns: repository identity across URL forms, the tracked ref, and
// manifest-generate-paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestGeneratePaths, matchApplications, pathsMatch, repoIdentity, revisionMatches } from './match.js';
import { application } from './test-server.js';
import type { PushEvent } from './types.js';

test('repoIdentity: https, http, ssh, scp-like, .git and case spellings of one repository are one', () => {
  const forms = [
    'https://github.com/acme/payments-config', 'https://github.com/acme/payments-config.git', 'https://GitHub.com/Acme/Payments-Config/',
    'http://github.com/acme/payments-config', 'https://user:token@github.com/acme/payments-config.git',
    'git@github.com:acme/payments-config.git', 'ssh://git@github.com/acme/payments-config', 'ssh://git@ssh.github.com:443/acme/payments-config.git',
    'https://github.com:443/acme/payments-config',
  ];
  for (const f of forms) assert.equal(repoIdentity(f), 'github.com/acme/payments-config', f);
  assert.notEqual(repoIdentity('https://github.com/acme/payments'), repoIdentity('https://github.com/acme/payments-config'));
  assert.notEqual(repoIdentity('https://gitlab.com/acme/payments-config'), repoIdentity('https://github.com/acme/payments-config'));
  assert.notEqual(repoIdentity('https://github.com/acme/sub/payments-config'), repoIdentity('https://github.com/acme/payments-config'));
  assert.equal(repoIdentity('not a url'), undefined);
});

const branchPush: PushEvent = { provider: 'github', repoUrls: [], ref: 'refs/heads/main', branch: 'main', defaultBranch: 'main' };
const tagPush: PushEvent = { provider: 'github', repoUrls: [], ref: 'refs/tags/v1', tag: 'v1', defaultBranch: 'main' };

test('revisionMatches: branch, tag, full refs, HEAD and pinned commits', () => {
  const cases: readonly [string | undefined, PushEvent, boolean][] = [
    ['main', branchPush, true], ['refs/heads/main', branchPush, true], ['develop', branchPush, false],
    ['refs/tags/main', branchPush, false], ['HEAD', branchPush, true], ['', branchPush, true], [undefined, branchPush, true],
    ['HEAD', { ...branchPush, defaultBranch: 'trunk' }, false],
    // Without a default branch in the payload, HEAD is refreshed (the controller asks Git).
    ['HEAD', { provider: 'bitbucket', repoUrls: [], ref: 'refs/heads/x', branch: 'x' }, true],
    ['v1', tagPush, true], ['refs/tags/v1', tagPush, true], ['refs/heads/v1', tagPush, false], ['HEAD', tagPush, false],
    ['0123456789abcdef0123456789abcdef01234567', branchPush, false],
    ['refs/pull/7/head', { provider: 'generic', repoUrls: [], ref: 'refs/pull/7/head' }, true],
    ['main', { provider: 'generic', repoUrls: [], ref: 'main' }, true],
    ['refs/heads/main', { provider: 'generic', repoUrls: [], ref: 'main' }, true],
    ['anything', { provider: 'generic', repoUrls: [] }, true],
  ];
  for (const [target, ev, want] of cases) assert.equal(revisionMatches(target, ev), want, `${String(target)} vs ${ev.ref ?? '(no ref)'}`);
});

test('manifest-generate-paths: ".", relative, absolute and several ";"-separated paths, per source', () => {
  const app = application('a', { repoURL: 'https://x/r', path: 'apps/web' }, { 'argocd.argoproj.io/manifest-generate-paths': '.; ../shared ;/base;;' });
  assert.deepEqual(manifestGeneratePaths(app, [{ path: 'apps/web' }]), ['apps/web', 'apps/shared', 'base']);
  assert.deepEqual(manifestGeneratePaths(app, [{ path: 'apps/web' }, { path: 'apps/api' }]), ['apps/web', 'apps/api', 'apps/shared', 'apps/shared', 'base']);
  const fjord = application('b', { repoURL: 'https://x/r', path: 'apps/web' }, { 'fjord.dev/manifest-generate-paths': '/' });
  assert.deepEqual(manifestGeneratePaths(fjord, [{ path: 'apps/web' }]), ['.']);
  assert.equal(manifestGeneratePaths(application('c', {}), []), undefined);
});

test('pathsMatch: files under a path (not a sibling with the same prefix), globs, and unknown file lists', () => {
  assert.equal(pathsMatch(['apps/web'], ['apps/web/deployment.yaml']), true);
  assert.equal(pathsMatch(['apps/web'], ['apps/web']), true);
  assert.equal(pathsMatch(['apps/web'], ['apps/web-old/deployment.yaml']), false);
  assert.equal(pathsMatch(['apps/web'], ['README.md', 'apps/api/x.yaml']), false);
  assert.equal(pathsMatch(['apps/*/values.yaml'], ['apps/web/values.yaml']), true);
  assert.equal(pathsMatch(['.'], ['anything/at/all']), true);
  assert.equal(pathsMatch(['apps/web'], undefined), true);
  assert.equal(pathsMatch(['apps/web'], []), true);
  assert.equal(pathsMatch(undefined, ['README.md']), true);
});

test('matchApplications: multi-source apps match on any source; Helm chart sources never do', () => {
  const multi = { ...application('multi', {}), spec: { sources: [
    { repoURL: 'https://charts.acme.example', chart: 'web', targetRevision: '1.2.3' },
    { repoURL: 'https://github.com/acme/values', targetRevision: 'main', ref: 'values' },
  ] } };
  const chart = application('chart', { repoURL: 'https://github.com/acme/values', chart: 'web', targetRevision: 'main' });
  const ev: PushEvent = { provider: 'github', repoUrls: ['https://github.com/acme/values'], ref: 'refs/heads/main', branch: 'main' };
  assert.deepEqual(matchApplications(ev, [multi, chart]), [{ key: 'fjord/multi', repoURL: 'https://github.com/acme/values' }]);
});
