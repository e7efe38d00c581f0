// The web UI in a real browser (Debian's Chromium driven by playwright-core) against a real `fjord run`
// (controller and server roles) on the test cluster, with Applications from a real Git server: log in
// with a token, see the list with status, open an Application, sync it from the UI, see Deployment →
// ReplicaSet → Pods in the tree, drift a Secret and read its diff (values masked), follow a pushed
// commit live, see who drifted an object that self-heal put back, roll back from the history, and keep
// working in a 420 px wide window. Screenshots go to test-artifacts/ui/.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../dev/paths.js';
import { configMap, deploymentYaml } from '../testing/manifests.js';
import { runFjord, startFjord } from '../testing/cli.js';
import { testKube, testKubeconfig, testNamespace } from '../testing/cluster.js';
import { uniqueName } from '../testing/controller.js';
import { startGitRepo } from '../testing/git.js';
import { defer } from '../testing/cleanup.js';
import { eventually } from '../testing/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const UI_DIST = join(packageRoot(), 'ui', 'dist');
const SHOTS = join(packageRoot(), 'test-artifacts', 'ui');
const SECRET_IN_GIT = 'git-password-4711';
const SECRET_BY_HAND = 'hand-typed-password-0815';
/** Evaluated in the page (the test's own TypeScript has no DOM types). */
const SCROLL_WIDTH = 'document.documentElement.scrollWidth';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const secretYaml = (name: string, password: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\ndata:\n  password: ${b64(password)}\n`;

/** Debian's Chromium, headless, with a fresh profile (playwright-core makes and removes it). */
async function launch(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  defer(t, () => browser.close());
  return browser;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** The text of every element matching `selector`, for assertions that must not see a secret. */
async function texts(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).allInnerTexts()).join('\n');
}

test('the web UI lists Applications, syncs one, shows its resource tree, history and a masked diff, and works narrow', { timeout: 300_000 }, async (t) => {
  assert.ok(existsSync(join(UI_DIST, 'index.html')), `${UI_DIST}/index.html is missing: build the UI with npm run bootstrap (or npm --prefix ui ci && npm --prefix ui run build)`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: npm run bootstrap installs Debian's chromium`);
  mkdirSync(SHOTS, { recursive: true });
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'ui');
  const dest = await testNamespace(t, kube, 'ui-dest');
  const { repoURL, repo } = await startGitRepo(t, 'org/config.git');
  const web = uniqueName('web');
  const cfg = uniqueName('settings');
  const first = await repo.write({
    'web/deployment.yaml': deploymentYaml('web', 2),
    'web/config.yaml': configMap('web-config', { greeting: 'hello' }),
    'web/secret.yaml': secretYaml('web-db', SECRET_IN_GIT),
    'settings/config.yaml': configMap('settings', { level: 'info' }),
  }).commit('web: deployment, config and database secret');
  await repo.push();

  const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-ui-cache-'));
  defer(t, () => { rmSync(cacheDir, { recursive: true, force: true }); });
  const kubeconfig = testKubeconfig();
  const fjord = startFjord(t, ['run', '--kubeconfig', kubeconfig, '--namespace', ns, '--roles', 'controller,server', '--port', '0',
    '--poll-interval', '1s', '--cache-dir', cacheDir, '--log-format', 'text', '--ui-dir', UI_DIST]);
  const running = await fjord.waitForLine(/INFO\s+running /, 90_000);
  const base = /http=(\S+)/.exec(running)?.[1]?.replace(/\/$/, '');
  assert.ok(base, `fjord run printed its HTTP address: ${running}`);
  const created = await runFjord(['token', 'create', '--kubeconfig', kubeconfig, '--namespace', ns, '--subject', 'ui-test', '--role', 'role:admin']);
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim().split('\n').at(-1) ?? '';

  const apps = `/apis/fjord.dev/v1alpha1/namespaces/${ns}/applications`;
  const spec = (path: string, automated: boolean): Record<string, unknown> => ({
    project: 'default', source: { repoURL, targetRevision: 'main', path },
    destination: { server: 'https://kubernetes.default.svc', namespace: dest },
    ...(automated ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
  });
  await kube.create(apps, { apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name: web }, spec: spec('web', false) });
  await kube.create(apps, { apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name: cfg }, spec: spec('settings', true) });

  const browser = await launch(t);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => { pageErrors.push(e.message); });

  await t.test('login: a wrong token is refused, the real one opens the list', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Token').fill('fjord_nope_nope');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user').filter({ hasText: 'ui-test' }).waitFor();
  });

  await t.test('the list shows both Applications with their sync and health status', async () => {
    await page.locator(`.app-row[data-app="${cfg}"][data-sync="Synced"][data-health="Healthy"]`).waitFor({ timeout: 60_000 });
    await page.locator(`.app-row[data-app="${web}"][data-sync="OutOfSync"]`).waitFor({ timeout: 60_000 });
    assert.match(await page.locator(`.app-row[data-app="${cfg}"]`).innerText(), new RegExp(first.slice(0, 7)), 'the revision short SHA');
    await page.getByLabel('Search applications by name').fill(cfg);
    await page.locator(`.app-row[data-app="${web}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('.app-row').count(), 1, 'the name search narrows the list');
    await page.getByLabel('Search applications by name').fill('');
    await page.locator(`.app-row[data-app="${web}"]`).waitFor();
    const outOfSync = page.locator('.summary .sum[data-sync="OutOfSync"]');
    await outOfSync.filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
    await outOfSync.click();
    await page.locator(`.app-row[data-app="${cfg}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('.app-row').count(), 1, 'the OutOfSync count filters the list');
    await outOfSync.click();
    await page.locator(`.app-row[data-app="${cfg}"]`).waitFor();
    await shot(page, 'list');
  });

  await t.test('a sync clicked through in the UI syncs the Application', async () => {
    await page.locator(`.app-row[data-app="${web}"]`).click();
    await page.locator('.app-title h1').filter({ hasText: web }).waitFor();
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sync' });
    assert.equal(await dialog.locator('.res-list li').count(), 3, 'the dialog lists the three resources to sync');
    await dialog.getByRole('button', { name: 'Synchronize' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Sync started' }).waitFor();
    await page.locator('.app-title [data-sync="Synced"]').waitFor({ timeout: 60_000 });
    await page.locator('.app-title [data-health="Healthy"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('operation').and(page.locator('[data-phase="Succeeded"]')).waitFor();
    assert.match(await texts(page, '[data-testid=operation]'), /Deployment|deploy/i, 'the sync result lists the Deployment');
    await shot(page, 'sync');
  });

  await t.test('the resource tree shows Application → Deployment → ReplicaSet → Pods, left to right', async () => {
    await page.getByRole('tab', { name: 'Resources' }).click();
    const pods = page.locator('.node[data-kind="Pod"]');
    await pods.nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await pods.count(), 2, 'two Pods for two replicas');
    const x = async (sel: string): Promise<number> => (await page.locator(sel).first().boundingBox())?.x ?? Number.NaN;
    const [app, deploy, rs, pod] = await Promise.all(['.node[data-kind="Application"]', '.node[data-kind="Deployment"]', '.node[data-kind="ReplicaSet"]', '.node[data-kind="Pod"]'].map(x));
    assert.ok(app !== undefined && deploy !== undefined && rs !== undefined && pod !== undefined && app < deploy && deploy < rs && rs < pod, `columns left to right: ${String([app, deploy, rs, pod])}`);
    assert.ok(await page.locator('.tree-edges path').count() >= 6, 'edges join the nodes');
    await shot(page, 'app');
  });

  await t.test('history shows the deployed commit with its message', async () => {
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByTestId('history').filter({ hasText: first.slice(0, 7) }).waitFor({ timeout: 30_000 });
    const history = await texts(page, '[data-testid=history]');
    assert.match(history, new RegExp(first.slice(0, 7)));
    assert.match(history, /web: deployment, config and database secret/);
  });

  await t.test('a Secret drifted by hand shows OutOfSync, and its diff masks the values', async () => {
    await kube.request('PATCH', `/api/v1/namespaces/${dest}/secrets/web-db`, { body: { data: { password: b64(SECRET_BY_HAND) } }, contentType: 'application/merge-patch+json' });
    await page.getByRole('tab', { name: 'Resources' }).click();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const secret = page.locator('.node[data-kind="Secret"][data-sync="OutOfSync"]');
    await secret.waitFor({ timeout: 60_000 });
    await page.locator('.app-title [data-sync="OutOfSync"]').waitFor();
    await secret.click();
    const panel = page.getByTestId('node-panel');
    await panel.getByRole('tab', { name: 'Diff' }).click();
    await page.getByTestId('diff').waitFor({ timeout: 30_000 });
    const diff = await texts(page, '[data-testid=diff]');
    assert.match(diff, /\+\+\+\+\+\+\+\+/, 'the diff shows masked values');
    for (const s of [SECRET_IN_GIT, SECRET_BY_HAND, b64(SECRET_IN_GIT), b64(SECRET_BY_HAND)]) assert.ok(!diff.includes(s), 'no secret value in the diff');
    assert.ok(await page.locator('[data-testid=diff] .dl-add, [data-testid=diff] .dl-del').count() > 0, 'the changed lines are coloured');
    await shot(page, 'diff');
    await panel.getByRole('tab', { name: 'Live manifest' }).click();
    await page.getByTestId('manifest').waitFor({ timeout: 30_000 });
    const manifest = await texts(page, '[data-testid=manifest]');
    assert.match(manifest, /kind: Secret/);
    for (const s of [SECRET_BY_HAND, b64(SECRET_BY_HAND)]) assert.ok(!manifest.includes(s), 'no secret value in the live manifest');
  });

  await t.test('the list follows a pushed commit live, without a reload', async () => {
    await page.goto(`${base}/applications`);
    await page.locator(`.app-row[data-app="${cfg}"]`).waitFor();
    await page.evaluate('window.fjordTestMarker = true');
    const next = await repo.write({ 'settings/config.yaml': configMap('settings', { level: 'debug' }) }).commit('settings: debug logging');
    await repo.push();
    await page.locator(`.app-row[data-app="${cfg}"] .app-rev`).filter({ hasText: next.slice(0, 7) }).waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate<unknown>('window.fjordTestMarker'), true, 'the page was not reloaded');
  });

  await t.test('drift changed by hand is put back by self-heal, and the page says who changed what', async () => {
    await kube.request('PATCH', `/api/v1/namespaces/${dest}/configmaps/settings`, {
      body: { data: { level: 'trace' } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'alice-by-hand' },
    });
    await page.locator(`.app-row[data-app="${cfg}"]`).click();
    const note = page.getByTestId('drift-note');
    await note.filter({ hasText: 'alice-by-hand' }).waitFor({ timeout: 60_000 });
    assert.match(await note.innerText(), /ConfigMap settings: .*data\.level.* changed by alice-by-hand/);
    await note.getByRole('button', { name: 'Details' }).click();
    await page.getByTestId('operation').waitFor();
    assert.match(await texts(page, '[data-testid=operation]'), /alice-by-hand/, 'the sync result shows the forensics next to the object');
    await shot(page, 'drift');
    await page.getByRole('link', { name: 'Applications' }).first().click();
  });

  await t.test('a rollback chosen from the history puts the earlier commit back', async () => {
    const second = await repo.write({ 'web/config.yaml': configMap('web-config', { greeting: 'hej' }) }).commit('web: greet in Norwegian');
    await repo.push();
    await page.locator(`.app-row[data-app="${web}"]`).click();
    await page.locator('.facts').filter({ hasText: second.slice(0, 7) }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sync' }).getByRole('button', { name: 'Synchronize' }).click();
    await page.locator('.app-title [data-sync="Synced"]').waitFor({ timeout: 60_000 });
    const greeting = async (): Promise<string | undefined> => ((await kube.get(`/api/v1/namespaces/${dest}/configmaps/web-config`))['data'] as Record<string, string> | undefined)?.['greeting'];
    assert.equal(await greeting(), 'hej');
    await page.getByRole('tab', { name: /History/ }).click();
    const row = page.locator('[data-testid=history] tr').filter({ hasText: first.slice(0, 7) });
    await row.getByRole('button', { name: 'Rollback' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rollback' });
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('notice').innerText(), /Rollback to #\d+ started/);
    await eventually('the ConfigMap is back at the first commit', async () => (await greeting()) === 'hello' ? true : undefined, 60_000);
    await page.locator('.app-title [data-sync="OutOfSync"]').waitFor({ timeout: 60_000 });
  });

  await t.test('a 420 px wide window keeps the list and the app page usable', async () => {
    await page.setViewportSize({ width: 420, height: 860 });
    await page.getByRole('link', { name: 'Applications' }).first().click();
    await page.locator(`.app-row[data-app="${web}"]`).waitFor();
    const width = await page.evaluate<number>(SCROLL_WIDTH);
    assert.ok(width <= 420, `no horizontal page scroll on the list (scrollWidth ${width})`);
    await shot(page, 'narrow-list');
    await page.locator(`.app-row[data-app="${web}"]`).click();
    await page.locator('.node[data-kind="Deployment"]').waitFor();
    assert.ok(await page.evaluate<number>(SCROLL_WIDTH) <= 420, 'no horizontal page scroll on the app page (the tree scrolls inside its box)');
    await page.getByRole('button', { name: 'Sync', exact: true }).waitFor();
    await shot(page, 'narrow-app');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
