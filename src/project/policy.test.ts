import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProjectSpec } from '../api/application.js';
import { allowedByPatterns, checkDestination, checkKind, checkSourceRepo } from './policy.js';

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
