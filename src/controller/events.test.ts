// The event recorder's queue: recording returns at once, at most `concurrency` events are in flight,
// repeats within a minute are folded, a full queue drops and warns once, flush() waits for the rest.
// The API server here is a stand-in that only holds each create until released; that Events really
// reach a cluster is proven by the controller's and Sealed Secrets' integration tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { createLogger } from '../util/log.js';
import { EventRecorder } from './events.js';

function slowApi(): { kube: KubeClient; created: KubeObject[]; inFlight: () => number; maxInFlight: () => number; release: () => void } {
  const created: KubeObject[] = [];
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let max = 0;
  const kube = {
    create: async (_path: string, body: KubeObject): Promise<KubeObject> => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise<void>((resolve) => { waiting.push(resolve); });
      inFlight--;
      created.push(body);
      return body;
    },
  } as unknown as KubeClient;
  return { kube, created, inFlight: () => inFlight, maxInFlight: () => max, release: () => { for (const r of waiting.splice(0)) r(); } };
}

const app = (name: string): KubeObject => ({ apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: 'fjord', uid: `uid-${name}` } });

test('recording returns at once; four events are sent at a time and flush() waits for all of them', async () => {
  const api = slowApi();
  const lines: string[] = [];
  const events = new EventRecorder(api.kube, createLogger({ write: (l) => { lines.push(l); } }));
  for (let i = 0; i < 7; i++) events.record(app(`a${i}`), 'Normal', 'OperationCompleted', `sync ${i} succeeded`);
  assert.equal(api.inFlight(), 4, 'four in flight, three waiting');
  let flushed = false;
  const flushing = events.flush().then(() => { flushed = true; });
  while (api.created.length < 7) {
    api.release();
    await new Promise((r) => setImmediate(r));
  }
  await flushing;
  assert.ok(flushed);
  assert.equal(api.maxInFlight(), 4);
  assert.deepEqual(api.created.map((e) => (e['involvedObject'] as { name: string }).name).sort(), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  assert.equal(lines.length, 0, 'nothing to warn about');
});

test('the same event within a minute is recorded once; a full queue drops further events with one warning', async () => {
  const api = slowApi();
  const lines: string[] = [];
  const events = new EventRecorder(api.kube, createLogger({ format: 'json', write: (l) => { lines.push(l); } }), 'fjord-controller', { concurrency: 1, maxQueued: 3 });
  events.record(app('x'), 'Warning', 'OperationRefused', 'refused');
  events.record(app('x'), 'Warning', 'OperationRefused', 'refused');
  for (let i = 0; i < 6; i++) events.record(app(`y${i}`), 'Normal', 'OperationCompleted', 'done');
  // One in flight (x), three queued (y0..y2), three dropped (y3..y5), one warning for them.
  const warnings = lines.map((l) => JSON.parse(l) as { msg: string; dropped: number }).filter((l) => l.msg.startsWith('events dropped'));
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.dropped, 1);
  const flushing = events.flush();
  while (api.inFlight() > 0 || api.created.length < 4) {
    api.release();
    await new Promise((r) => setImmediate(r));
  }
  await flushing;
  assert.deepEqual(api.created.map((e) => (e['involvedObject'] as { name: string }).name), ['x', 'y0', 'y1', 'y2']);
});

test('flush() gives up after its timeout when the API server does not answer', async () => {
  const api = slowApi();
  const events = new EventRecorder(api.kube, createLogger({ write: () => undefined }));
  events.record(app('z'), 'Normal', 'OperationCompleted', 'done');
  const started = Date.now();
  await events.flush(50);
  assert.ok(Date.now() - started < 5000);
  assert.equal(api.created.length, 0, 'still waiting for the API server');
  api.release();
});
