// --dir is searched like kustomize searches it: exactly one of kustomization.yaml, .yml, Kustomization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageSetError } from './errors.js';
import { findKustomizationFile } from './kustomization-file.js';

test('finds each recognised name, and refuses none, several, or a missing directory with exit code 3', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fjord-kfile-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const dir = join(root, name.replace('.', '-'));
    mkdirSync(dir);
    writeFileSync(join(dir, name), 'resources: []\n');
    assert.equal(findKustomizationFile(dir), join(dir, name));
  }
  const refused = (dir: string, re: RegExp): void => {
    assert.throws(() => findKustomizationFile(dir), (e: unknown) => e instanceof ImageSetError && e.exitCode === 3 && re.test(e.message));
  };
  const empty = join(root, 'empty');
  mkdirSync(empty);
  refused(empty, /no kustomization file \(looked for kustomization\.yaml, kustomization\.yml, Kustomization\)/);
  const two = join(root, 'two');
  mkdirSync(two);
  writeFileSync(join(two, 'kustomization.yaml'), '');
  writeFileSync(join(two, 'Kustomization'), '');
  refused(two, /more than one kustomization file \(kustomization\.yaml, Kustomization\)/);
  refused(join(root, 'missing'), /no such directory/);
});
