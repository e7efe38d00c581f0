// The bad-input corpus (testdata/bad-input/cases.yaml), groups limits, objects and project: huge, numerous and deeply nested input, bytes that are not UTF-8,
// invalid names, unknown kinds, missing CRDs, and objects the AppProject fences out.
// Every case gets a condition naming the object, the file and the cause; what a good revision applied
// is neither changed nor pruned; the canary Application next to them keeps following Git.
import { test } from 'node:test';
import { runCorpus } from '../testing/bad-input-run.js';

const GROUPS = new Set(['limits', 'objects', 'project']);

test('oversized input, invalid objects and fenced-out objects are refused by name, and nothing else is harmed', async (t) => {
  await runCorpus(t, (c) => GROUPS.has(c.group));
});
