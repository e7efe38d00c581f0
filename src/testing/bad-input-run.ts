// Runs cases of the bad-input corpus against ONE in-process controller and ONE Git repository (one
// folder per case), next to a healthy canary Application in the same destination namespace. For each
// case: the expected condition appears, nothing the case's good revision applied is changed or
// pruned, no forbidden object exists; afterwards the canary still follows Git.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { WorkingCopy } from '../dev/git/repos.js';
import type { KubeClient } from '../kube/client.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { testKube, testNamespace } from './cluster.js';
import { startController, type TestController } from './controller.js';
import { startGitRepo } from './git.js';
import { eventually } from './wait.js';
import { waitFor } from '../dev/net.js';
import { defer } from './cleanup.js';
import { configMap } from './manifests.js';
import { loadCorpus, outsideKustomization, scratchRoot, substitute, writeCase, type BadCase } from './bad-input.js';

const SERVER = 'https://kubernetes.default.svc';
const CASE_TIMEOUT_MS = 90_000;
/** Dozens of cases wait side by side: one look a second each keeps the API server's load small. */
const POLL_MS = 1_000;

interface Run {
  /** Appended to every Application name: runs side by side must never share tracking IDs. */
  readonly suffix: string;
  readonly kube: KubeClient;
  readonly ctrl: TestController;
  readonly repo: WorkingCopy;
  readonly vars: Record<string, string>;
  readonly outside: () => string;
}

function caseVars(run: Run, c: BadCase): Record<string, string> {
  return { ...run.vars, PATH: `cases/${c.id}` };
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

function appSpec(run: Run, c: BadCase): Record<string, unknown> {
  const vars = caseVars(run, c);
  const source = substitute({ repoURL: run.vars['REPO'], targetRevision: 'main', path: '$PATH', ...c.source }, vars);
  return withoutNulls(substitute({
    project: c.project ?? 'default', source, destination: { server: SERVER, namespace: '$DEST' },
    syncPolicy: { automated: { prune: true, selfHeal: true } }, ...c.spec,
  }, vars));
}

/** Every message a user sees for the Application: conditions, the operation, per-resource results. */
function messages(s: ApplicationStatus): { type: string; message: string }[] {
  const op = s.operationState;
  return [
    ...s.conditions.map((c) => ({ type: c.type, message: c.message })),
    ...(op && op.phase !== 'Succeeded' ? [{ type: `operation ${op.phase}`, message: op.message }] : []),
    ...(op?.syncResult?.resources ?? []).filter((r) => r.status === 'SyncFailed').map((r) => ({ type: 'SyncFailed', message: `${r.kind} ${r.name}: ${r.message}` })),
  ];
}

function matches(run: Run, c: BadCase, s: ApplicationStatus): boolean {
  const want = substitute(c.expect.contains ?? [], caseVars(run, c));
  return messages(s).some((m) => (c.expect.type === undefined || m.type === c.expect.type) && want.every((w) => m.message.includes(w)));
}

async function createProjects(run: Run, projects: Record<string, Record<string, unknown>>): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  const base = `/apis/${run.ctrl.flavor.group}/${run.ctrl.flavor.version}/namespaces/${run.ctrl.namespace}/appprojects`;
  for (const [name, spec] of Object.entries(projects)) {
    await run.kube.create(base, { apiVersion: `${run.ctrl.flavor.group}/${run.ctrl.flavor.version}`, kind: 'AppProject', metadata: { name }, spec: substitute(spec, run.vars) })
      .catch((e: unknown) => { refused.set(name, (e as Error).message); });
  }
  return refused;
}

/** Creates the case's Application; a refusal by the API server is returned as its message. */
async function createApp(run: Run, c: BadCase): Promise<string | undefined> {
  try {
    await run.ctrl.createApp(appName(run, c.id), appSpec(run, c));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const appName = (run: Run, id: string): string => `${id}-${run.suffix}`;

async function status(run: Run, id: string): Promise<ApplicationStatus | undefined> {
  return (await run.ctrl.getApp(appName(run, id)))['status'] as ApplicationStatus | undefined;
}

function livePath(namespace: string, r: { kind: string; name: string }): string {
  const plural: Record<string, string> = { ConfigMap: 'configmaps', Secret: 'secrets', Service: 'services' };
  const p = plural[r.kind];
  if (p === undefined) throw new Error(`bad-input: good revisions hold only ConfigMaps, Secrets and Services, not ${r.kind}`);
  return `/api/v1/namespaces/${namespace}/${p}/${r.name}`;
}

/** Syncs the good revisions and the canary; returns live path → resourceVersion of all they applied. */
async function syncGood(run: Run, good: readonly BadCase[]): Promise<Map<string, string>> {
  for (const c of good) writeCase(run.repo.dir, c, 'good', caseVars(run, c), run.outside);
  run.repo.write({ 'canary/cm.yaml': configMap('canary', { v: '1' }) });
  const sha = await run.repo.commit('good revisions');
  await run.repo.push();
  await run.ctrl.createApp(appName(run, 'canary'), { ...appSpec(run, { id: 'canary', group: '', what: '', expect: {} }), source: { repoURL: run.vars['REPO'], targetRevision: 'main', path: 'canary' } });
  for (const c of good) assert.equal(await createApp(run, c), undefined, `${c.id}: the good revision's Application is created`);
  const snapshot = new Map<string, string>();
  await Promise.all(['canary', ...good.map((c) => c.id)].map(async (name) => {
    const s = await eventually(`${name} synced at the good revision`, async () => {
      const x = await status(run, name);
      return x?.sync.status === 'Synced' && x.sync.revision === sha && x.resources.length > 0 && x.operationState?.phase === 'Succeeded' ? x : undefined;
    }, CASE_TIMEOUT_MS);
    for (const r of s.resources) {
      const path = livePath(r.namespace, r);
      snapshot.set(path, (await run.kube.get(path)).metadata?.resourceVersion ?? '');
    }
  }));
  return snapshot;
}

/** Waits for the case's expectation; returns what went wrong, or undefined. */
async function checkCase(run: Run, c: BadCase, refusal: string | undefined): Promise<string | undefined> {
  if (c.expect.rejected !== undefined || c.expect.projectRejected !== undefined) {
    const want = c.expect.rejected ?? c.expect.projectRejected ?? '';
    return refusal?.includes(want) ? undefined : `expected the API server to refuse it with "${want}", got ${refusal ?? 'no refusal'}`;
  }
  if (refusal !== undefined) return `the Application was refused: ${refusal}`;
  let last: ApplicationStatus | undefined;
  try {
    last = await waitFor(`${c.id}: expected condition`, async () => {
      last = await status(run, c.id);
      return last && matches(run, c, last) ? last : undefined;
    }, { timeoutMs: CASE_TIMEOUT_MS, intervalMs: POLL_MS });
  } catch {
    return `no condition of type ${c.expect.type ?? 'any'} containing ${JSON.stringify(substitute(c.expect.contains, caseVars(run, c)))}; saw ${JSON.stringify(last ? messages(last) : 'no status')} (revision ${last?.sync.revision ?? 'none'}, reconciled at ${last?.reconciledAt ?? 'never'})`;
  }
  const shown = JSON.stringify(last);
  const leaked = (c.expect.hidden ?? []).filter((h) => shown.includes(h));
  if (leaked.length > 0) return `status shows ${leaked.join(', ')}`;
  for (const path of substitute(c.absent ?? [], caseVars(run, c))) {
    if (await run.kube.getOrUndefined(path)) return `${path} exists but must not`;
  }
  return undefined;
}

async function assertUntouched(run: Run, snapshot: Map<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, version] of snapshot) {
    const live = await run.kube.getOrUndefined(path);
    if (!live) problems.push(`${path} was deleted`);
    else if (live.metadata?.resourceVersion !== version) problems.push(`${path} was changed (resourceVersion ${version} → ${live.metadata?.resourceVersion ?? '?'})`);
  }
  return problems;
}

async function assertCanaryFollows(run: Run): Promise<void> {
  const s = await status(run, 'canary');
  assert.deepEqual(s?.conditions, [], 'the canary has no conditions');
  assert.equal(s.sync.status, 'Synced');
  run.repo.write({ 'canary/cm.yaml': configMap('canary', { v: '2' }) });
  await run.repo.commit('canary v2');
  await run.repo.push();
  await eventually('the canary change is applied after the bad cases', async () => {
    const cm = await run.kube.getOrUndefined(`/api/v1/namespaces/${run.vars['DEST'] ?? ''}/configmaps/canary`);
    return (cm?.['data'] as Record<string, string> | undefined)?.['v'] === '2' ? true : undefined;
  }, CASE_TIMEOUT_MS);
}

async function setUp(t: TestContext): Promise<Run> {
  const kube = testKube(t);
  const ctrlNs = await testNamespace(t, kube, 'ctrl');
  const dest = await testNamespace(t, kube, 'dest');
  const { repoURL, repo } = await startGitRepo(t, 'org/bad-input.git');
  const scratch = scratchRoot();
  defer(t, () => { rmSync(scratch, { recursive: true, force: true }); });
  const ctrl = await startController(t, kube, ctrlNs);
  let outsideDir: string | undefined;
  const outside = (): string => (outsideDir ??= outsideKustomization(scratch));
  return { suffix: randomBytes(3).toString('hex'), kube, ctrl, repo, outside, vars: { DEST: dest, REPO: repoURL, CTRL: ctrlNs } };
}

/** Runs the chosen cases; fails listing every case that did not behave. */
export async function runCorpus(t: TestContext, pick: (c: BadCase) => boolean): Promise<number> {
  const corpus = loadCorpus();
  const cases = corpus.cases.filter(pick);
  const run = await setUp(t);
  const refusedProjects = await createProjects(run, corpus.projects);
  const snapshot = await syncGood(run, cases.filter((c) => c.afterGood));
  for (const c of cases) writeCase(run.repo.dir, c, 'bad', caseVars(run, c), run.outside);
  await run.repo.commit('bad revisions');
  await run.repo.push();
  const refusals = new Map<string, string | undefined>();
  await Promise.all(cases.filter((c) => !c.afterGood).map(async (c) => { refusals.set(c.id, await createApp(run, c)); }));
  const failures = (await Promise.all(cases.map(async (c) => {
    const refusal = c.expect.projectRejected === undefined ? refusals.get(c.id) : refusedProjects.get(c.project ?? '');
    const why = await checkCase(run, c, refusal);
    return why === undefined ? undefined : `${c.id}: ${why}`;
  }))).filter((f): f is string => f !== undefined);
  failures.push(...await assertUntouched(run, snapshot));
  await assertCanaryFollows(run);
  failures.push(...await assertUntouched(run, new Map([...snapshot].filter(([p]) => !p.endsWith('/canary')))));
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} bad-input cases misbehaved:\n${failures.join('\n')}`);
  return cases.length;
}
