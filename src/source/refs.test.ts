import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLsRemote, resolveFromRefs } from './refs.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const TAG_OBJECT = 'c'.repeat(40);
const C = 'd'.repeat(40);

const LS_REMOTE = [
  `${A}\tHEAD`,
  `${A}\trefs/heads/main`,
  `${B}\trefs/heads/feature`,
  `${TAG_OBJECT}\trefs/tags/v1`,
  `${C}\trefs/tags/v1^{}`,
  `${B}\trefs/tags/light`,
  `${B}\trefs/tags/feature`,
  '',
].join('\n');

test('parseLsRemote maps refs to shas and annotated tags to their commit', () => {
  const refs = parseLsRemote(LS_REMOTE);
  assert.equal(refs.get('HEAD'), A);
  assert.equal(refs.get('refs/heads/feature'), B);
  assert.equal(refs.get('refs/tags/v1'), C, 'peeled');
  assert.equal(refs.get('refs/tags/light'), B);
  assert.equal(refs.has('refs/tags/v1^{}'), false);
  // the peeled line may also come first
  const reversed = parseLsRemote(`${C}\trefs/tags/v1^{}\n${TAG_OBJECT}\trefs/tags/v1\n`);
  assert.equal(reversed.get('refs/tags/v1'), C);
});

test('resolveFromRefs: HEAD, branch before tag, full ref, full sha; short shas and unknown names are not here', () => {
  const refs = parseLsRemote(LS_REMOTE);
  assert.equal(resolveFromRefs(refs, ''), A);
  assert.equal(resolveFromRefs(refs, 'HEAD'), A);
  assert.equal(resolveFromRefs(refs, 'main'), A);
  assert.equal(resolveFromRefs(refs, 'v1'), C);
  assert.equal(resolveFromRefs(refs, 'feature'), B);
  assert.equal(resolveFromRefs(refs, 'refs/tags/v1'), C);
  assert.equal(resolveFromRefs(refs, 'E'.repeat(40)), 'e'.repeat(40));
  assert.equal(resolveFromRefs(refs, 'aaaaaaa'), undefined);
  assert.equal(resolveFromRefs(refs, 'nope'), undefined);
  assert.equal(resolveFromRefs(new Map(), 'HEAD'), undefined);
});
