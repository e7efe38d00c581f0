import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProjectSpec } from '../api/application.js';
import { allowedByPatterns, checkDestination, checkKind, checkSourceRepo, repoPermitted } from './policy.js';

const project = (p: Partial<AppProjectSpec>): AppProjectSpec => ({ sourceRepos: [], destinations: [], ...p });

test('source repositories: globs allow, ! denies and wins', () => {
  assert.ok(allowedByPatterns(['https://git.example.com/team-a/*'], 'https://git.example.com/team-a/app.git'));
  assert.ok(!allowedByPatterns(['*', '!https://git.example.com/secret/*'], 'https://git.example.com/secret/x.git'));
  assert.match(checkSourceRepo('team-a', project({ sourceRepos: ['git@github.com:team-a/*'] }), 'git@github.com:team-b/app.git') ?? '', /repository git@github.com:team-b\/app.git is not permitted in project team-a/);
  assert.equal(checkSourceRepo('default', project({ sourceRepos: ['*'] }), 'anything'), undefined);
});

test('destinations: server or name with namespace globs, and negation', () => {
  const spec = project({ destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a-*' }, { name: 'prod', namespace: '!kube-system' }, { name: 'prod', namespace: '*' }] });
  assert.equal(checkDestination('a', spec, { server: 'https://kubernetes.default.svc', namespace: 'team-a-web' }), undefined);
  assert.match(checkDestination('a', spec, { server: 'https://kubernetes.default.svc', namespace: 'payments' }) ?? '', /namespace payments is not permitted in project a/);
  assert.equal(checkDestination('a', spec, { name: 'prod', namespace: 'web' }), undefined);
  assert.match(checkDestination('a', spec, { name: 'prod', namespace: 'kube-system' }) ?? '', /not permitted/);
});

test('kinds: cluster-scoped need a whitelist entry, namespaced ones can be blacklisted', () => {
  const spec = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }], namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] });
  assert.equal(checkKind('p', spec, { group: '', kind: 'Namespace', name: 'x', namespaced: false }), undefined);
  assert.match(checkKind('p', spec, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin', namespaced: false }) ?? '', /cluster-scoped rbac.authorization.k8s.io\/ClusterRole admin is not permitted in project p/);
  assert.match(checkKind('p', spec, { group: '', kind: 'ResourceQuota', name: 'q', namespaced: true }) ?? '', /core\/ResourceQuota q is denied in project p/);
  assert.equal(checkKind('p', spec, { group: 'apps', kind: 'Deployment', name: 'd', namespaced: true }), undefined);
  assert.equal(checkKind('d', project({ clusterResourceWhitelist: [{ group: '*', kind: '*' }] }), { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'x', namespaced: false }), undefined);
});

test('the poller may contact only repositories the Application\'s project permits', () => {
  const projects: Record<string, Record<string, unknown>> = {
    'team-a': { spec: { sourceRepos: ['https://git.example.com/team-a/*'], destinations: [{ server: '*', namespace: '*' }] } },
  };
  const lookup = (name: string): Record<string, unknown> | undefined => projects[name];
  const app = (project: string, repoURL: string): Record<string, unknown> => ({ spec: { project, source: { repoURL, path: '.' } } });
  assert.equal(repoPermitted(app('team-a', 'https://git.example.com/team-a/config.git'), lookup), true);
  assert.equal(repoPermitted(app('team-a', 'http://169.254.169.254/latest/meta-data'), lookup), false, 'a forbidden URL is never asked');
  assert.equal(repoPermitted(app('missing', 'https://git.example.com/team-a/config.git'), lookup), false, 'no project, no contact');
  assert.equal(repoPermitted({ spec: { project: 'team-a' } }, lookup), false, 'no repository');
});
