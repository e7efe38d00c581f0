// Informers against the real test cluster: initial list, live events, a clean stop, and no lost event
// when watches end, connections break, the API server is unreachable or the resourceVersion expired.
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeClient, type KubeObject } from './client.js';
import { createInformer, type Informer, type InformerOptions, type WatchEventType } from './watch.js';
import { testKube, testNamespace } from '../testing/cluster.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { eventually } from '../testing/wait.js';

const LABEL = 'fjord.dev/watch-test';

interface Recorded { readonly type: WatchEventType; readonly name: string; readonly value: string | undefined; readonly old: string | undefined }

interface Harness {
  readonly kube: KubeClient;
  readonly ns: string;
  readonly selector: string;
  readonly events: Recorded[];
  readonly errors: Error[];
  readonly logs: string[];
  informer(kube: KubeClient, extra?: Partial<InformerOptions>): Informer;
  configMap(name: string, value: string): Promise<void>;
  update(name: string, value: string): Promise<void>;
  remove(name: string): Promise<void>;
}

const valueOf = (o: KubeObject | undefined): string | undefined => (o?.['data'] as Record<string, string> | undefined)?.['v'];

/** A namespace, a label that scopes the informers to this test, and informers that stop before the clients close. */
async function harness(t: TestContext): Promise<Harness> {
  const informers: Informer[] = [];
  t.after(async () => { await Promise.all(informers.map((i) => i.stop())); });
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'watch');
  const id = randomBytes(4).toString('hex');
  const selector = `${LABEL}=${id}`;
  const events: Recorded[] = [];
  const errors: Error[] = [];
  const logs: string[] = [];
  const cms = `/api/v1/namespaces/${ns}/configmaps`;
  return {
    kube, ns, selector, events, errors, logs,
    informer: (client, extra = {}) => {
      const informer = createInformer(client, {
        path: cms, labelSelector: selector,
        onEvent: (type, obj, old) => { events.push({ type, name: obj.metadata?.name ?? '', value: valueOf(obj), old: valueOf(old) }); },
        onError: (e) => { errors.push(e); },
        log: (m) => { logs.push(m); },
        backoff: { initialMs: 50, maxMs: 400 },
        ...extra,
      });
      informers.push(informer);
      return informer;
    },
    configMap: async (name, v) => { await kube.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { [LABEL]: id } }, data: { v } }); },
    update: async (name, v) => { await kube.request('PATCH', `${cms}/${name}`, { body: { data: { v } }, contentType: 'application/merge-patch+json' }); },
    remove: async (name) => { await kube.delete(`${cms}/${name}`); },
  };
}

const line = (e: Recorded): string => `${e.type} ${e.name}${e.value === undefined ? '' : `=${e.value}`}${e.old === undefined ? '' : ` (was ${e.old})`}`;
const lines = (events: readonly Recorded[]): string[] => events.map(line);

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  await eventually(what, () => Promise.resolve(check() ? true : undefined), timeoutMs);
}

function storeValues(informer: Informer): string[] {
  return informer.list().map((o) => `${o.metadata?.name ?? ''}=${valueOf(o) ?? ''}`).sort();
}

test('the initial list is delivered (in pages) before synced() resolves, with kind and apiVersion set', async (t) => {
  const h = await harness(t);
  for (const n of ['a', 'b', 'c', 'd', 'e']) await h.configMap(n, n);
  await h.kube.create(`/api/v1/namespaces/${h.ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unlabelled' } });
  const proxy = await FaultProxy.start(h.kube.access);
  const client = new KubeClient(proxy.access);
  t.after(async () => { await client.close(); await proxy.close(); });
  const informer = h.informer(client, { pageSize: 2 });
  informer.start();
  await informer.synced();
  assert.deepEqual(lines(h.events), ['ADDED a=a', 'ADDED b=b', 'ADDED c=c', 'ADDED d=d', 'ADDED e=e']);
  assert.deepEqual(storeValues(informer), ['a=a', 'b=b', 'c=c', 'd=d', 'e=e']);
  const pages = proxy.requests.filter((r) => r.includes('limit=2'));
  assert.equal(pages.length, 3, pages.join('\n'));
  assert.equal(pages.filter((r) => r.includes('continue=')).length, 2);
  const a = informer.get(h.ns, 'a');
  assert.deepEqual([a?.kind, a?.apiVersion], ['ConfigMap', 'v1']);
  assert.equal(informer.get(h.ns, 'unlabelled'), undefined);
  assert.deepEqual(h.errors, []);
});

test('creates, updates and deletes arrive as ADDED, MODIFIED and DELETED, and the store follows', async (t) => {
  const h = await harness(t);
  const informer = h.informer(h.kube);
  informer.start();
  await informer.synced();
  assert.deepEqual(h.events, []);
  await h.configMap('x', '1');
  await until('x added', () => informer.get(h.ns, 'x') !== undefined);
  await h.update('x', '2');
  await until('x modified', () => valueOf(informer.get(h.ns, 'x')) === '2');
  await h.configMap('y', '1');
  await h.remove('x');
  await until('x deleted', () => informer.get(h.ns, 'x') === undefined);
  assert.deepEqual(lines(h.events), ['ADDED x=1', 'MODIFIED x=2 (was 1)', 'ADDED y=1', 'DELETED x=2 (was 2)']);
  assert.deepEqual(storeValues(informer), ['y=1']);
  assert.deepEqual(h.errors, []);
});

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('stop() ends the watch at once, leaves no timers behind, and no event arrives afterwards', async (t) => {
  const h = await harness(t);
  const before = timers();
  const informer = h.informer(h.kube);
  informer.start();
  await informer.synced();
  await h.configMap('seen', '1');
  await until('seen', () => h.events.length === 1);
  const started = Date.now();
  await informer.stop();
  assert.ok(Date.now() - started < 1_000, `stop took ${Date.now() - started} ms`);
  await h.configMap('unseen', '1');
  await sleep(500);
  assert.deepEqual(lines(h.events), ['ADDED seen=1']);
  assert.equal(timers(), before);
  assert.deepEqual(h.errors, []);
  await informer.stop();
});

test('an informer stopped before its first list rejects synced(), and can start again', async (t) => {
  const h = await harness(t);
  await h.configMap('a', '1');
  const informer = h.informer(h.kube);
  informer.start();
  await informer.stop();
  await assert.rejects(informer.synced(), /stopped before the initial list/);
  informer.start();
  await informer.synced();
  assert.deepEqual(storeValues(informer), ['a=1']);
});

test('watches that end every second are resumed without losing or repeating an event', async (t) => {
  const h = await harness(t);
  const informer = h.informer(h.kube, { timeoutSeconds: 1 });
  informer.start();
  await informer.synced();
  const names = Array.from({ length: 12 }, (_, i) => `cm-${String(i).padStart(2, '0')}`);
  for (const [i, n] of names.entries()) {
    await h.configMap(n, 'v1');
    await h.update(n, 'v2');
    if (i % 2 === 0) await h.remove(n);
    await sleep(250);
  }
  const kept = names.filter((_, i) => i % 2 === 1);
  await until('store matches', () => storeValues(informer).join() === kept.map((n) => `${n}=v2`).join());
  for (const [i, n] of names.entries()) {
    const mine = lines(h.events.filter((e) => e.name === n));
    const expected = [`ADDED ${n}=v1`, `MODIFIED ${n}=v2 (was v1)`, ...(i % 2 === 0 ? [`DELETED ${n}=v2 (was v2)`] : [])];
    assert.deepEqual(mine, expected, n);
  }
  assert.ok(h.logs.filter((m) => m.includes('watch ended')).length >= 2, 'several watches ended and were resumed');
  assert.deepEqual(h.errors, []);
});

test('stop() while waiting to retry returns at once and clears the retry timer', async (t) => {
  const h = await harness(t);
  const proxy = await FaultProxy.start(h.kube.access);
  const client = new KubeClient(proxy.access);
  t.after(async () => { await client.close(); await proxy.close(); });
  await proxy.down();
  const before = timers();
  const informer = h.informer(client, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
  informer.start();
  await until('the first failure', () => h.errors.length === 1);
  assert.match(h.errors[0]?.message ?? '', /ECONNREFUSED/);
  assert.equal(timers(), before + 1, 'a retry is scheduled');
  const started = Date.now();
  await informer.stop();
  assert.ok(Date.now() - started < 1_000, `stop took ${Date.now() - started} ms`);
  assert.equal(timers(), before);
  await assert.rejects(informer.synced(), /stopped before the initial list/);
});

/** An informer that reaches the API server through a proxy the test can take down. */
async function behindProxy(t: TestContext, h: Harness): Promise<{ proxy: FaultProxy; informer: Informer }> {
  const proxy = await FaultProxy.start(h.kube.access);
  const client = new KubeClient(proxy.access);
  t.after(async () => { await client.close(); await proxy.close(); });
  const informer = h.informer(client);
  await h.configMap('change', '1');
  await h.configMap('gone', '1');
  informer.start();
  await informer.synced();
  await h.configMap('keep', '1');
  await until('the watch delivers events', () => informer.get(h.ns, 'keep') !== undefined);
  return { proxy, informer };
}

/** While the API server is unreachable: one object added, one changed, one deleted. */
async function changesDuringOutage(h: Harness, proxy: FaultProxy): Promise<void> {
  await proxy.down();
  await h.configMap('new', '1');
  await h.update('change', '2');
  await h.remove('gone');
  await until('retries while unreachable', () => h.errors.length >= 3);
  assert.match(h.errors[0]?.message ?? '', /reading the event stream failed: (other side closed|terminated)/, 'the open watch broke');
  assert.match(h.errors.at(-1)?.message ?? '', /cannot reach the API server .*ECONNREFUSED/, 'then the API server was unreachable');
}

test('a broken connection and an unreachable API server are retried, and the watch resumes where it was', async (t) => {
  const h = await harness(t);
  const { proxy, informer } = await behindProxy(t, h);
  await changesDuringOutage(h, proxy);
  await proxy.up();
  await until('caught up', () => storeValues(informer).join() === 'change=2,keep=1,new=1');
  assert.deepEqual(lines(h.events.slice(3)), ['ADDED new=1', 'MODIFIED change=2 (was 1)', 'DELETED gone=1 (was 1)']);
  assert.ok(!h.logs.some((m) => m.includes('expired')), 'resumed by watching, not by listing again');
});

test('when the resourceVersion has expired, a new list reports what changed meanwhile, deletions included', async (t) => {
  const h = await harness(t);
  const { proxy, informer } = await behindProxy(t, h);
  await changesDuringOutage(h, proxy);
  proxy.expireNextWatches(1);
  await proxy.up();
  await until('caught up', () => storeValues(informer).join() === 'change=2,keep=1,new=1');
  assert.deepEqual(lines(h.events.slice(3)).sort(), ['ADDED new=1', 'DELETED gone=1 (was 1)', 'MODIFIED change=2 (was 1)']);
  assert.ok(h.logs.some((m) => m.includes('expired; listing again')));
  assert.ok(!h.errors.some((e) => /Expired|410/.test(e.message)), 'an expired resourceVersion is routine, not an error');
  await h.configMap('after', '1');
  await until('watching again', () => informer.get(h.ns, 'after') !== undefined);
});
