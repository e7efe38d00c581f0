// The bad-input corpus (testdata/bad-input/cases.yaml), groups paths and kustomize: '..' and absolute paths, symlinks out of the repository, remote Kustomize bases.
// Every case gets a condition naming the object, the file and the cause; what a good revision applied
// is neither changed nor pruned; the canary Application next to them keeps following Git.
import { test } from 'node:test';
import { runCorpus } from '../testing/bad-input-run.js';

const GROUPS = new Set(['paths', 'kustomize']);

test('paths, symlinks and bases that leave the repository are refused by name, and nothing else is harmed', async (t) => {
  await runCorpus(t, (c) => GROUPS.has(c.group));
});
