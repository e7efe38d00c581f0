// The bad-input corpus (testdata/bad-input/cases.yaml), group limits: huge files, too many documents,
// deeply nested values and bytes that are not UTF-8, generated at test time.
// Every case gets a condition naming the object, the file and the cause; what a good revision applied
// is neither changed nor pruned; the canary Application next to them keeps following Git.
import { test } from 'node:test';
import { runCorpus } from '../testing/bad-input-run.js';

const GROUPS = new Set(['limits']);

test('oversized, overlong and overdeep input is refused before it costs the controller, and nothing else is harmed', async (t) => {
  await runCorpus(t, (c) => GROUPS.has(c.group));
});
