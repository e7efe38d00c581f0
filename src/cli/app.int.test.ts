// `fjord app …` end to end: the real CLI (bin/fjord.js) against the real API server and controller on
// the test cluster, with commits pushed to a real Git server. What a person or a CI pipeline sees:
// tables, parseable JSON, diff exit codes, syncs that wait, history with commit authors, rollback,
// refresh, wait, delete, and clear 401/403 errors.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCopy } from '../dev/git/repos.js';
import { freePort } from '../dev/net.js';
import { startAppFixture, configMap, type AppFixture } from '../testing/app-fixture.js';
import { spawn } from 'node:child_process';
import { FJORD_BIN, runFjord, type CliResult } from '../testing/cli.js';
import { defer } from '../testing/cleanup.js';
import { testKubeconfig } from '../testing/cluster.js';
import { startTestServer } from '../testing/server.js';
import { eventually } from '../testing/wait.js';

interface CliFixture {
  readonly f: AppFixture;
  readonly url: string;
  readonly admin: string;
  readonly configHome: string;
  /** Runs `fjord app ARGS` against the server with the admin token (or `token`). */
  app(args: readonly string[], token?: string): Promise<CliResult>;
  /** A token made by `fjord token create`, once the server accepts it. */
  tokenCli(subject: string, role: string): Promise<string>;
  /** A working copy committing as Ada Lovelace. */
  ada: WorkingCopy;
}

async function startCliFixture(t: TestContext): Promise<CliFixture> {
  const f = await startAppFixture(t);
  const server = await startTestServer(t, f.ctrl);
  const configHome = mkdtempSync(join(tmpdir(), 'fjord-cli-config-'));
  const ada = await WorkingCopy.clone(f.repoURL, { GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org' });
  defer(t, () => {
    ada.remove();
    rmSync(configHome, { recursive: true, force: true });
  });
  const admin = await server.token('admin', ['role:admin']);
  const env = (tok: string): NodeJS.ProcessEnv => ({ FJORD_SERVER: server.url, FJORD_AUTH_TOKEN: tok, XDG_CONFIG_HOME: configHome });
  return {
    f, url: server.url, admin, configHome, ada,
    app: (args, tok = admin) => runFjord(['app', ...args], env(tok)),
    tokenCli: async (subject, role) => {
      const created = await runFjord(['token', 'create', '--kubeconfig', testKubeconfig(), '--namespace', f.ctrl.namespace, '--subject', subject, '--role', role]);
      assert.equal(created.code, 0, created.stderr);
      const token = created.stdout.trim().split('\n').at(-1) ?? '';
      await eventually(`token of ${subject} accepted`, async () => ((await server.call(token, '/api/v1/session/userinfo')).status === 200 ? true : undefined), 10_000);
      return token;
    },
  };
}

async function push(wc: WorkingCopy, files: Record<string, string>, message: string): Promise<string> {
  wc.write(files);
  const sha = await wc.commit(message);
  await wc.push();
  return sha;
}

function ok(r: CliResult, what: string): CliResult {
  assert.equal(r.code, 0, `${what}: exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

interface Cm { data: Record<string, string> }

test('list, get, diff --exit-code, sync, history, rollback, refresh and wait on a manually synced Application', async (t) => {
  const c = await startCliFixture(t);
  const { f } = c;
  const v1 = await push(c.ada, { 'web/settings.yaml': configMap('settings', { level: 'one' }) }, 'Add settings\n\nFirst version.');
  const app = f.appName('web');
  await f.ctrl.createApp(app, f.spec('web'));
  await f.waitFor(app, 'compared with v1', (s) => s.sync.revision === v1);

  const list = ok(await c.app(['list']), 'list');
  assert.match(list.stdout, /^NAME\s+PROJECT\s+SYNC\s+HEALTH\s+REPO\s+PATH\s+TARGET$/m);
  assert.match(list.stdout, new RegExp(`^${app}\\s+default\\s+OutOfSync\\s+\\S+\\s+${f.repoURL.replace(/[.]/g, '\\.')}\\s+web\\s+main$`, 'm'));
  const json = JSON.parse(ok(await c.app(['list', '-o', 'json']), 'list -o json').stdout) as { items: { metadata: { name: string }; status: { sync: { status: string } } }[] };
  assert.deepEqual(json.items.map((a) => [a.metadata.name, a.status.sync.status]), [[app, 'OutOfSync']]);
  assert.equal(ok(await c.app(['list', '-o', 'name']), 'list -o name').stdout, `${app}\n`);

  const before = await c.app(['diff', app, '--exit-code']);
  assert.equal(before.code, 1, `diff before the first sync: ${before.stderr}`);
  assert.match(before.stdout, /^===== ConfigMap \S+\/settings \(missing from the cluster\) =====$/m);

  const sync = ok(await c.app(['sync', app]), 'sync');
  assert.match(sync.stdout, /^Phase:\s+Succeeded$/m);
  assert.match(sync.stdout, /^-\s+ConfigMap\s+\S+\s+settings\s+Synced\s/m);
  assert.equal((await f.kube.get<Cm>(`/api/v1/namespaces/${f.dest}/configmaps/settings`)).data['level'], 'one');

  const get = ok(await c.app(['get', app]), 'get');
  assert.match(get.stdout, new RegExp(`^Name:\\s+${app}$`, 'm'));
  assert.match(get.stdout, new RegExp(`^Sync Status:\\s+Synced to main \\(${v1.slice(0, 7)}\\)$`, 'm'));
  assert.match(get.stdout, /^GROUP\s+KIND\s+NAMESPACE\s+NAME\s+STATUS\s+HEALTH\n-\s+ConfigMap\s+\S+\s+settings\s+Synced\b/m);
  assert.equal((JSON.parse(ok(await c.app(['get', app, '-o', 'json']), 'get -o json').stdout) as { metadata: { name: string } }).metadata.name, app);

  const clean = await c.app(['diff', app, '--exit-code']);
  assert.deepEqual([clean.code, clean.stdout], [0, ''], `no differences after the sync: ${clean.stderr}`);

  const v2 = await push(c.ada, { 'web/settings.yaml': configMap('settings', { level: 'two' }) }, 'Raise the level to two');
  await f.waitFor(app, 'v2 seen, auto-sync off', (s) => s.sync.revision === v2 && s.sync.status === 'OutOfSync');
  const changed = await c.app(['diff', app, '--exit-code']);
  assert.equal(changed.code, 1, changed.stderr);
  assert.match(changed.stdout, /^-\s+level: one$/m);
  assert.match(changed.stdout, /^\+\s+level: two$/m);

  const timedOut = await c.app(['wait', app, '--sync', '--timeout', '2s']);
  assert.equal(timedOut.code, 1);
  assert.match(timedOut.stderr, new RegExp(`timed out after 2s waiting for application ${app} to be synced; sync OutOfSync`));

  ok(await c.app(['sync', app, '--timeout', '2m']), 'sync v2');
  ok(await c.app(['wait', app, '--health', '--sync', '--timeout', '1m']), 'wait --health --sync');
  const history = ok(await c.app(['history', app]), 'history').stdout.split('\n');
  assert.match(history[0] ?? '', /^ID\s+DATE\s+REVISION\s+AUTHOR\s+MESSAGE$/);
  assert.match(history[1] ?? '', new RegExp(`^0\\s+\\S+\\s+${v1.slice(0, 7)}\\s+Ada Lovelace <ada@example\\.org>\\s+Add settings$`));
  assert.match(history[2] ?? '', new RegExp(`^1\\s+\\S+\\s+${v2.slice(0, 7)}\\s+Ada Lovelace <ada@example\\.org>\\s+Raise the level to two$`));

  const rollback = ok(await c.app(['rollback', app]), 'rollback to the entry before the latest');
  assert.match(rollback.stdout, new RegExp(`^Revision:\\s+${v1.slice(0, 7)}$`, 'm'));
  assert.equal((await f.kube.get<Cm>(`/api/v1/namespaces/${f.dest}/configmaps/settings`)).data['level'], 'one');
  const after = JSON.parse(ok(await c.app(['history', app, '-o', 'json']), 'history -o json').stdout) as { revision: string }[];
  assert.deepEqual(after.map((h) => h.revision), [v1, v2, v1]);

  const refresh = ok(await c.app(['refresh', app, '--hard']), 'refresh --hard');
  assert.match(refresh.stdout, new RegExp(`^application ${app} refreshed \\(hard\\): sync OutOfSync`, 'm'));

  const del = ok(await c.app(['delete', app, '--yes', '--wait', '--timeout', '1m']), 'delete --yes --wait');
  assert.match(del.stdout, new RegExp(`^application ${app} deleted \\(cascade\\)$`, 'm'));
  await eventually('the ConfigMap deleted with its Application', async () => ((await f.live(`/api/v1/namespaces/${f.dest}/configmaps/settings`)) ? undefined : true), 30_000);
});

test('a failing sync exits 1 naming the failed hook; --dry-run and --resource; delete refuses without --yes off a terminal, --cascade=false keeps resources', async (t) => {
  const c = await startCliFixture(t);
  const { f } = c;
  await push(c.ada, { 'bad/migrate.yaml': failingPreSyncJob, 'bad/settings.yaml': configMap('settings', { a: 'b' }) }, 'A migration that cannot run');
  const app = f.appName('bad');
  await f.ctrl.createApp(app, f.spec('bad'));
  await f.waitFor(app, 'compared', (s) => s.sync.revision !== undefined && s.sync.revision !== '');
  const failed = await c.app(['sync', app, '--timeout', '2m']);
  assert.equal(failed.code, 1, failed.stdout);
  assert.match(failed.stdout, /^Phase:\s+Failed$/m);
  assert.match(failed.stderr, new RegExp(`fjord: error: operation on application ${app} failed:\\n  Failed: .*PreSync hook Job/migrate failed`));

  const cmPath = `/api/v1/namespaces/${f.dest}/configmaps/settings`;
  const dry = ok(await c.app(['sync', app, '--dry-run', '--resource', ':ConfigMap:settings']), 'sync --dry-run --resource');
  assert.match(dry.stdout, /^Message:\s+dry run: 1 to apply, 0 to prune; nothing changed$/m);
  assert.equal(await f.live(cmPath), undefined, 'a dry run applies nothing');
  const only = ok(await c.app(['sync', app, '--resource', `:ConfigMap:${f.dest}/settings`]), 'sync --resource (no hooks run)');
  assert.match(only.stdout, /^-\s+ConfigMap\s+\S+\s+settings\s+Synced\s/m);
  assert.ok(await f.live(cmPath), 'the selected resource is applied');

  const noYes = await c.app(['delete', app]);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /refusing to delete application .* without --yes \(stdin is not a terminal\)/);
  const del = ok(await c.app(['delete', app, '--cascade=false', '--yes', '--wait', '--timeout', '1m']), 'delete --cascade=false --yes --wait');
  assert.match(del.stdout, new RegExp(`^application ${app} deleted \\(resources kept\\)$`, 'm'));
  assert.ok(await f.live(cmPath), '--cascade=false leaves the resources');
  const gone = await c.app(['get', app]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, new RegExp(`404: application ${app} not found`));
});

test('401 for a bad token, 403 naming the permission for a read-only one, refusals explained; login saves the token privately', async (t) => {
  const c = await startCliFixture(t);
  const { f } = c;
  const first = await push(c.ada, { 'ro/settings.yaml': configMap('settings', { a: 'b' }) }, 'settings');
  const app = f.appName('ro');
  await f.ctrl.createApp(app, f.spec('ro', { syncPolicy: { automated: {} } }));

  const bad = await c.app(['list'], 'fjord_abcdefgh_not-a-real-token-not-a-real-token-xx');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^fjord: error: GET \/api\/v1\/applications: 401 unauthorized: .*fjord login/m);
  assert.doesNotMatch(bad.stderr, /not-a-real-token/, 'the token is never printed');

  const viewer = await c.tokenCli('viewer', 'role:readonly');
  ok(await c.app(['get', app], viewer), 'a read-only token may get');
  const denied = await c.app(['sync', app], viewer);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, new RegExp(`403 forbidden: permission denied: applications, sync, default/${app}`));

  const second = await push(c.ada, { 'ro/settings.yaml': configMap('settings', { a: 'c' }) }, 'settings, second');
  await f.waitFor(app, 'automated sync of the second commit', (s) => s.operationState?.phase === 'Succeeded' && s.operationState.operation.sync.revision === second);
  ok(await c.app(['wait', app, '--timeout', '1m']), 'automated sync done');
  const refused = await c.app(['sync', app, '--revision', first, '--timeout', '1m']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`400: application ${app}: cannot sync to revision ${first}: automated sync is enabled`));
  const noRollback = await c.app(['rollback', app, '0']);
  assert.equal(noRollback.code, 1);
  assert.match(noRollback.stderr, /400: .*rollback cannot be initiated when automated sync is enabled/);

  const login = await runFjord(['login', '--server', c.url, '--token', c.admin], { XDG_CONFIG_HOME: c.configHome, FJORD_SERVER: '', FJORD_AUTH_TOKEN: '' });
  ok(login, 'login');
  assert.match(login.stdout, /logged in to .* as admin \(role:admin\)/);
  assert.ok(!login.stdout.includes(c.admin) && !login.stderr.includes(c.admin), 'login does not print the token');
  const file = join(c.configHome, 'fjord', 'config.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { token: string }).token, c.admin);
  const saved = await runFjord(['app', 'list', '-o', 'name'], { XDG_CONFIG_HOME: c.configHome, FJORD_SERVER: '', FJORD_AUTH_TOKEN: '' });
  assert.equal(ok(saved, 'list with the saved login').stdout, `${app}\n`);
  ok(await runFjord(['logout'], { XDG_CONFIG_HOME: c.configHome }), 'logout');
  const none = await runFjord(['app', 'list'], { XDG_CONFIG_HOME: c.configHome, FJORD_SERVER: '', FJORD_AUTH_TOKEN: '' });
  assert.equal(none.code, 2);

  const closed = `http://127.0.0.1:${await freePort()}`;
  const unreachable = await runFjord(['app', 'list', '--server', closed, '--auth-token', c.admin], { XDG_CONFIG_HOME: c.configHome });
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, new RegExp(`cannot reach the Fjord API at ${closed}: connection refused`));
});

/** Runs `fjord ARGS` on a terminal (util-linux `script` gives it a pseudo-terminal), typing `input`. */
function inTerminal(args: readonly string[], input: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, FJORD_BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`fjord ${args.join(' ')} on a terminal timed out: ${stdout}`)); }, 60_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr: '' }); });
    child.stdin.end(input);
  });
}

test('on a terminal: delete asks and does nothing unless the answer is yes; waits draw a progress line', async (t) => {
  const c = await startCliFixture(t);
  const { f } = c;
  await push(c.ada, { 'tty/settings.yaml': configMap('settings', { a: 'b' }) }, 'settings');
  const app = f.appName('tty');
  await f.ctrl.createApp(app, f.spec('tty', { syncPolicy: { automated: {} } }));
  const env = { FJORD_SERVER: c.url, FJORD_AUTH_TOKEN: c.admin, XDG_CONFIG_HOME: c.configHome };
  const wait = await inTerminal(['app', 'wait', app, '--timeout', '1m'], '', env);
  assert.equal(wait.code, 0, wait.stdout);
  assert.match(wait.stdout, new RegExp(`\\r\\x1b\\[2K${app} {2}sync: \\w+ {2}health: \\w+ {2}operation: \\S+ {2}\\d+s`), 'the progress line');
  const no = await inTerminal(['app', 'delete', app], 'n\n', env);
  assert.equal(no.code, 1, no.stdout);
  assert.match(no.stdout, new RegExp(`Delete application ${app} and all its resources\\? \\[y/N\\]`));
  assert.match(no.stdout, /not deleted/);
  ok(await c.app(['get', app]), 'still there after "n"');
  const yes = await inTerminal(['app', 'delete', app, '--wait'], 'y\n', env);
  assert.equal(yes.code, 0, yes.stdout);
  assert.match(yes.stdout, new RegExp(`application ${app} deleted \\(cascade\\)`));
});

const failingPreSyncJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  parallelism: 0
  activeDeadlineSeconds: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/migrate:1
`;
