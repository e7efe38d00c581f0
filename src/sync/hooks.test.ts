import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletePolicies, hookTypes, hookWave, isHook } from './hooks.js';

const obj = (annotations: Record<string, string>): Record<string, unknown> => ({ kind: 'Job', metadata: { name: 'j', annotations } });

test('hook types come from Fjord\'s or Argo CD\'s annotation, or Helm\'s', () => {
  assert.deepEqual(hookTypes(obj({ 'argocd.argoproj.io/hook': 'PreSync' })), ['PreSync']);
  assert.deepEqual(hookTypes(obj({ 'fjord.dev/hook': 'PostSync, SyncFail' })), ['PostSync', 'SyncFail']);
  assert.deepEqual(hookTypes(obj({ 'helm.sh/hook': 'pre-install,pre-upgrade' })), ['PreSync']);
  assert.deepEqual(hookTypes(obj({ 'argocd.argoproj.io/hook': 'Nonsense' })), []);
  assert.equal(isHook(obj({})), false);
});

test('delete policies default to BeforeHookCreation; Helm\'s names map; waves from sync-wave or hook-weight', () => {
  assert.deepEqual(deletePolicies(obj({})), ['BeforeHookCreation']);
  assert.deepEqual(deletePolicies(obj({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' })), ['HookSucceeded']);
  assert.deepEqual(deletePolicies(obj({ 'helm.sh/hook-delete-policy': 'hook-failed,before-hook-creation' })), ['HookFailed', 'BeforeHookCreation']);
  assert.equal(hookWave(obj({ 'helm.sh/hook-weight': '-5' })), -5);
  assert.equal(hookWave(obj({ 'argocd.argoproj.io/sync-wave': '3', 'helm.sh/hook-weight': '-5' })), 3);
});
