// The bad-input corpus (testdata/bad-input/cases.yaml), groups helm and spec: Helm value files and chart files outside the repository, broken charts,
// dangerous repository URLs, revisions that do not exist, invalid Application and AppProject specs.
// Every case gets a condition naming the object, the file and the cause; what a good revision applied
// is neither changed nor pruned; the canary Application next to them keeps following Git.
import { test } from 'node:test';
import { runCorpus } from '../testing/bad-input-run.js';

const GROUPS = new Set(['helm', 'spec']);

test('bad charts and invalid specs are refused with a condition naming the cause, and nothing else is harmed', async (t) => {
  await runCorpus(t, (c) => GROUPS.has(c.group));
});
