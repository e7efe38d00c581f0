// Runs Fjord's controller in-process against the test cluster, isolated in its own namespace (its
// Applications, AppProjects and repository Secrets live there), stopped when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import { FJORD, type ApiFlavor } from '../api/flavor.js';
import { DEFAULT_CONFIG, type ControllerConfig } from '../controller/config.js';
import { ControllerManager } from '../controller/manager.js';
import { install } from '../install/install.js';
import { KubeClient, type KubeObject } from '../kube/client.js';
import { createLogger } from '../util/log.js';
import { defer } from './cleanup.js';

export interface TestController {
  readonly manager: ControllerManager;
  readonly namespace: string;
  readonly flavor: ApiFlavor;
  /** Every line the controller logged so far (text format). */
  readonly logs: readonly string[];
  appPath(name: string): string;
  createApp(name: string, spec: Record<string, unknown>, extra?: Partial<KubeObject>): Promise<void>;
  getApp(name: string): Promise<KubeObject>;
}

/** A unique Application name, so tests running side by side never share tracking IDs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function startController(t: TestContext, testClient: KubeClient, namespace: string, config: Partial<ControllerConfig> = {}, flavor: ApiFlavor = FJORD): Promise<TestController> {
  // Its own client: after-hooks run in the order they were added, and the test's client closes first.
  const kube = new KubeClient(testClient.access);
  await install(kube, flavor);
  const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-cache-'));
  const lines: string[] = [];
  const log = createLogger({ format: 'text', level: process.env['FJORD_TEST_LOG'] === 'debug' ? 'debug' : 'info', write: (l) => { lines.push(l); if (process.env['FJORD_TEST_LOG']) process.stderr.write(`${l}\n`); } });
  const manager = await ControllerManager.start({
    kube, flavor, namespace, cacheDir, log,
    config: { ...DEFAULT_CONFIG, pollIntervalMs: 500, reconciliationMs: 60_000, ...config },
  });
  defer(t, async () => {
    await manager.stop();
    await kube.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  const base = `/apis/${flavor.group}/${flavor.version}/namespaces/${namespace}/applications`;
  return {
    manager, namespace, flavor, logs: lines,
    appPath: (name) => `${base}/${name}`,
    createApp: async (name, spec, extra = {}) => {
      await kube.create(base, { apiVersion: `${flavor.group}/${flavor.version}`, kind: 'Application', metadata: { name, namespace, ...(extra.metadata ?? {}) }, spec });
    },
    getApp: (name) => kube.get(`${base}/${name}`),
  };
}
