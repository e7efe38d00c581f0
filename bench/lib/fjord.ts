// Fjord under test: `fjord run --roles controller,server` as a child process at its default settings,
// one Application per app, run as users run it: `bin/fjord.js` on the compiled dist/ (the bench builds
// it first), so the figures do not include a TypeScript loader.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FJORD } from '../../src/api/flavor.js';
import { install } from '../../src/install/install.js';
import type { KubeObject } from '../../src/kube/client.js';
import type { Informer } from '../../src/kube/watch.js';
import { Child } from './child.js';
import { APPS_NS, LATENCY_NS, appName, appPath } from './workload.js';
import { applicationReady, benchApplication, createAll, startInformer, type ToolContext, type ToolUnderTest } from './tool.js';

const APPS = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications`;

const application = (name: string, repoURL: string, path: string, namespace: string): KubeObject =>
  benchApplication(`${FJORD.group}/${FJORD.version}`, FJORD.namespace, { name, repoURL, path, namespace });

function profileDir(ctx: ToolContext, suffix: string): string {
  const dir = join(ctx.workDir, `fjord-cpu-prof${suffix}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export class FjordUnderTest implements ToolUnderTest {
  readonly name = 'Fjord' as const;
  /** fjord run's default --poll-interval. */
  readonly pollIntervalMs = 3000;
  get settings(): string {
    const extra = this.ctx.fjordRunArgs?.join(' ') ?? '';
    const replicas = this.children.length > 1 ? `${this.children.length} replicas (sharded on Leases) of ` : '';
    return `${replicas}fjord run --roles controller,server${extra ? ` ${extra}` : ''}, otherwise at its defaults (ls-remote every 3 s, watches for drift; the webhook variant posts to its /api/webhook)`;
  }

  private constructor(private readonly ctx: ToolContext, private readonly children: Child[], private readonly apps: Informer, private readonly http: string | undefined) {}

  private static spawn(ctx: ToolContext, replica: number, replicas: number): Child {
    const suffix = replicas > 1 ? `-${replica}` : '';
    const node = ctx.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(ctx, suffix)}`] : [];
    return Child.start(`fjord run${suffix}`, process.execPath, [
      ...node, join(ctx.root, 'bin', 'fjord.js'), 'run', '--kubeconfig', ctx.kubeconfig, '--roles', 'controller,server',
      '--port', '0', '--cache-dir', join(ctx.workDir, `fjord-cache${suffix}`), '--log-format', 'json',
      ...(ctx.cpuProfile ? ['--cpu-profile-dir', profileDir(ctx, suffix)] : []),
      ...(replicas > 1 ? ['--replica-id', `bench${suffix}`] : []), ...(ctx.fjordRunArgs ?? []),
    ], { logFile: join(ctx.workDir, `fjord${suffix}.log`), cwd: ctx.root });
  }

  /** Starts `ctx.replicas` (default 1) fjord run processes; with more than one they shard the Applications. */
  static async start(ctx: ToolContext): Promise<FjordUnderTest> {
    await install(ctx.kube, FJORD);
    const replicas = ctx.replicas ?? 1;
    const children = Array.from({ length: replicas }, (_, i) => FjordUnderTest.spawn(ctx, i, replicas));
    try {
      await Promise.all(children.map((c) => c.waitForLog(/"running"/, 120_000)));
      const apps = await startInformer(ctx.kube, APPS);
      return new FjordUnderTest(ctx, children, apps, /"http":"(http:\/\/[^"]+)"/.exec(children[0]?.output() ?? '')?.[1]);
    } catch (e) {
      await Promise.all(children.map((c) => c.stop()));
      throw e;
    }
  }

  /** The base URL of fjord run's HTTP port, from its "running" log line (read at start: the child keeps only its latest output). */
  httpUrl(): string | undefined {
    return this.http;
  }

  /**
   * Tells fjord run about a push through `POST /api/webhook` with a generic payload; resolves with
   * why it did not work, or undefined when it did.
   */
  async webhook(repoURL: string): Promise<string | undefined> {
    const base = this.httpUrl();
    if (base === undefined) return 'fjord run logged no HTTP address';
    try {
      const res = await fetch(`${base}/api/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-fjord-event': 'push' }, body: JSON.stringify({ repository: repoURL, ref: 'refs/heads/main' }) });
      const text = await res.text();
      return res.ok ? undefined : `POST ${base}/api/webhook: ${res.status} ${text.slice(0, 300)}`;
    } catch (e) {
      return `POST ${base}/api/webhook: ${(e as Error).message}`;
    }
  }

  /** With --cpu-prof: starts, or stops and writes, a profile of a window of the run (window-N.cpuprofile beside the whole-run profile). */
  toggleProfileWindow(): void {
    if (!this.ctx.cpuProfile) return;
    for (const c of this.children) process.kill(c.pid, 'SIGUSR2');
  }

  pids(): number[] {
    return this.children.map((c) => c.pid);
  }

  async createApps(n: number, repoURL: string): Promise<void> {
    const objs = Array.from({ length: n }, (_, i) => application(appName(i), repoURL, appPath(i), APPS_NS));
    await createAll(this.ctx.kube, APPS, objs);
  }

  async createLatencyApp(repoURL: string): Promise<void> {
    await this.ctx.kube.create(APPS, application('latency', repoURL, 'latency', LATENCY_NS));
  }

  readyApps(revision: string): number {
    return this.apps.list().filter((a) => a.metadata?.name !== 'latency' && applicationReady(a, revision)).length;
  }

  latencyAppReady(revision: string): boolean {
    return applicationReady(this.apps.get(FJORD.namespace, 'latency'), revision);
  }

  async stop(): Promise<void> {
    await this.apps.stop();
    await Promise.all(this.children.map((c) => c.stop()));
  }
}
