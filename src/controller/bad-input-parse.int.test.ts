// The bad-input corpus (testdata/bad-input/cases.yaml), groups parse, objects and project: malformed
// YAML and JSON, duplicate keys, alias bombs, documents that are not objects, invalid names, unknown
// kinds, missing CRDs, and objects the AppProject fences out.
// Every case gets a condition naming the object, the file and the cause; what a good revision applied
// is neither changed nor pruned; the canary Application next to them keeps following Git.
import { test } from 'node:test';
import { runCorpus } from '../testing/bad-input-run.js';

const GROUPS = new Set(['parse', 'objects', 'project']);

test('malformed YAML and JSON, invalid objects and fenced-out objects are refused by name, and nothing else is harmed', async (t) => {
  await runCorpus(t, (c) => GROUPS.has(c.group));
});
