// Fixture-driven health tests: testdata/health/<kind>/<case>.yaml is a live object and the sibling
// expected.yaml names the health assessHealth must return for it (see testdata/health/README.md).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../kube/client.js';
import { assessHealth, BUILTIN_HEALTH_CHECKS, groupKindKey } from './health.js';
import { health, isHealthStatus, type HealthResult } from './types.js';

const ROOT = join(import.meta.dirname, '../../testdata/health');
const EXPECTATIONS = 'expected.yaml';

interface Fixture { dir: string; name: string; obj: KubeObject; expected: HealthResult | undefined }

function expectation(dir: string, name: string, raw: unknown): HealthResult | undefined {
  const { status, message } = (raw ?? {}) as { status?: unknown; message?: unknown };
  if (status === 'none') return undefined;
  assert.ok(isHealthStatus(status), `${dir}/${EXPECTATIONS}: ${name} has no valid status`);
  return health(status, typeof message === 'string' ? message : undefined);
}

interface FixtureDir { dir: string; caseFiles: string[]; table: Record<string, unknown> }

function readDir(dir: string): FixtureDir {
  const path = join(ROOT, dir);
  const table = parse(readFileSync(join(path, EXPECTATIONS), 'utf8')) as Record<string, unknown>;
  const caseFiles = readdirSync(path).filter((f) => f.endsWith('.yaml') && f !== EXPECTATIONS).map((f) => f.slice(0, -'.yaml'.length));
  return { dir, caseFiles: caseFiles.sort(), table };
}

function loadCases({ dir, caseFiles, table }: FixtureDir): Fixture[] {
  return caseFiles.filter((name) => name in table).map((name) => ({
    dir,
    name,
    obj: parse(readFileSync(join(ROOT, dir, `${name}.yaml`), 'utf8')) as KubeObject,
    expected: expectation(dir, name, table[name]),
  }));
}

const dirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => readDir(d.name));
dirs.sort((a, b) => a.dir.localeCompare(b.dir));
const fixtures = dirs.flatMap(loadCases);

for (const d of dirs) {
  describe(`health fixtures: ${d.dir}`, () => {
    test(`every case file has an entry in ${EXPECTATIONS} and every entry a case file`, () => {
      assert.deepEqual(d.caseFiles, Object.keys(d.table).sort());
    });
    for (const f of fixtures.filter((x) => x.dir === d.dir)) {
      test(`${f.name} → ${f.expected?.status ?? 'no health'}`, () => {
        assert.deepEqual(assessHealth(f.obj), f.expected);
      });
    }
  });
}

test('every built-in check has at least one fixture', () => {
  const covered = new Set(fixtures.map((f) => groupKindKey(f.obj)));
  const uncovered = [...BUILTIN_HEALTH_CHECKS.keys()].filter((k) => !covered.has(k));
  assert.deepEqual(uncovered, []);
});
