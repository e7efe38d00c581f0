// Which kustomization entries are remote (refused) and which are local paths (followed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksRemote } from './kustomize-remote.js';

test('URLs, git addresses and host/path forms are remote; relative paths are not', () => {
  for (const remote of ['https://github.com/org/repo//base?ref=v1', 'ssh://git@host/org/repo.git', 'git::https://host/repo', 'git@github.com:org/repo.git//base', 'github.com/org/repo/base?ref=main', 'example.com:8443/org/repo']) {
    assert.equal(looksRemote(remote), true, remote);
  }
  for (const local of ['../base', 'base', './overlays/prod', 'deployment.yaml', '../../common/cm.yaml', 'v1.2/base']) {
    assert.equal(looksRemote(local), false, local);
  }
});
