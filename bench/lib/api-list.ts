// The API's list at scale (issue 6): N Applications (default 5,000) in a real cluster, Fjord's API
// server in-process (server role only: no controller changes them meanwhile), and timed sequential
// requests of one page (limit 100), plain, paged, filtered and searched. Target: p95 ≤ 100 ms.
// Their repository URL is a closed loopback port: nothing asks it, and nothing may leave the machine.
import { FJORD } from '../../src/api/flavor.js';
import { install } from '../../src/install/install.js';
import type { KubeClient } from '../../src/kube/client.js';
import { ApiServer } from '../../src/server/api/server.js';
import { FjordHttpServer } from '../../src/server/http.js';
import { Metrics } from '../../src/server/metrics.js';
import { createToken } from '../../src/server/auth/tokens.js';
import { silentLogger } from '../../src/util/log.js';
import { percentile } from './stats.js';

export interface ApiListRow {
  readonly label: string;
  readonly path: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** What the answers held (the same every time): the page's items and the total matching (absent in results saved before they were recorded). */
  readonly items?: number;
  readonly total?: number;
}
export interface ApiList {
  readonly apps: number;
  readonly requests: number;
  readonly createS: number;
  /** Time for the API server's Application watch cache to list them at start. */
  readonly syncedMs: number;
  readonly rows: readonly ApiListRow[];
}

const name = (i: number): string => `app-${String(i).padStart(5, '0')}`;

async function createApps(kube: KubeClient, n: number): Promise<void> {
  const base = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications`;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await kube.create(base, {
        apiVersion: `${FJORD.group}/${FJORD.version}`, kind: 'Application',
        metadata: { name: name(i), namespace: FJORD.namespace, labels: { team: `team-${i % 20}` } },
        spec: { project: 'default', source: { repoURL: 'http://127.0.0.1:9/org/config.git', targetRevision: 'main', path: `apps/${i}` }, destination: { server: 'https://kubernetes.default.svc', namespace: `ns-${i % 50}` } },
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

interface Page { items: unknown[]; metadata: { total: number } }

async function timed(url: string, token: string, requests: number): Promise<{ ms: number[]; page: Page }> {
  const ms: number[] = [];
  let page: Page = { items: [], metadata: { total: 0 } };
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    ms.push(performance.now() - t0);
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
    if (i === 0) page = JSON.parse(body) as Page;
  }
  return { ms, page };
}

/** Creates `apps` Applications in the cluster and times the API's list of them. */
export async function measureApiList(kube: KubeClient, apps: number, requests: number): Promise<ApiList> {
  await install(kube, FJORD);
  const t0 = performance.now();
  await createApps(kube, apps);
  const createS = (performance.now() - t0) / 1000;
  const s0 = performance.now();
  const api = await ApiServer.start({ kube, flavor: FJORD, log: silentLogger, metrics: new Metrics() });
  const syncedMs = performance.now() - s0;
  const http = await FjordHttpServer.start({ host: '127.0.0.1', port: 0, routes: [api.apiRoute] });
  try {
    const token = await createToken(kube, FJORD.namespace, FJORD.secretTypeLabel, 'bench', ['role:admin']);
    const middle = name(Math.floor(apps / 2) - 1);
    const paths: [string, string][] = [
      ['first page (limit 100)', '/api/v1/applications?limit=100'],
      ['a page in the middle (continue)', `/api/v1/applications?limit=100&continue=${Buffer.from(JSON.stringify({ after: middle })).toString('base64url')}`],
      ['filtered: selector team=team-7', '/api/v1/applications?limit=100&selector=team%3Dteam-7'],
      [`search "${middle.slice(0, -1)}"`, `/api/v1/applications?limit=100&search=${middle.slice(0, -1)}`],
    ];
    const rows: ApiListRow[] = [];
    for (const [label, path] of paths) {
      const { ms, page } = await timed(`${http.url}${path}`, token, requests);
      ms.sort((a, b) => a - b);
      rows.push({ label, path, p50Ms: percentile(ms, 50) ?? Number.NaN, p95Ms: percentile(ms, 95) ?? Number.NaN, maxMs: Math.round(ms.at(-1) ?? Number.NaN), items: page.items.length, total: page.metadata.total });
    }
    return { apps, requests, createS, syncedMs, rows };
  } finally {
    await http.stop();
    await api.stop();
  }
}
