// `npm run bench:api`: the API's list at scale alone (bench/lib/api-list.ts; `npm run bench` runs it
// too): N Applications (default 5,000) on a fresh local cluster, one page timed p50/p95/max.
//   node --import tsx bench/api-list.ts [--apps 5000] [--requests 200]
import { parseArgs } from 'node:util';
import { clusterDown, clusterUp } from '../src/dev/cluster/cluster.js';
import { KubeClient } from '../src/kube/client.js';
import { measureApiList } from './lib/api-list.js';

const { values } = parseArgs({ options: { apps: { type: 'string', default: '5000' }, requests: { type: 'string', default: '200' } } });
const apps = Number(values.apps);
const requests = Number(values.requests);
if (!Number.isInteger(apps) || apps < 1 || !Number.isInteger(requests) || requests < 1) throw new Error('usage: node --import tsx bench/api-list.ts [--apps N] [--requests N] (positive integers)');

const name = 'bench-api';
const cluster = await clusterUp({ name, log: (m) => { process.stderr.write(`[cluster] ${m}\n`); } });
const kube = KubeClient.fromKubeconfig(cluster.kubeconfig);
try {
  const r = await measureApiList(kube, apps, requests);
  console.log(`API list with ${r.apps} Applications (created in ${r.createS.toFixed(1)} s), ${r.requests} sequential requests each; the server's watch cache listed them in ${r.syncedMs.toFixed(0)} ms`);
  console.log('| request | items of total | p50 ms | p95 ms | max ms | target p95 ≤ 100 ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of r.rows) console.log(`| ${row.label} | ${row.items} of ${row.total} | ${row.p50Ms} | ${row.p95Ms} | ${row.maxMs} | ${row.p95Ms <= 100 ? 'met' : 'MISS'} |`);
} finally {
  await kube.close();
  await clusterDown(name);
}
