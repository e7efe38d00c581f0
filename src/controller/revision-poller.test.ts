import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/client.js';
import { silentLogger } from '../util/log.js';
import { RevisionPoller } from './revision-poller.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function app(name: string, repoURL: string, targetRevision: string, synced?: string): KubeObject {
  return {
    metadata: { namespace: 'fjord', name },
    spec: { source: { repoURL, targetRevision } },
    ...(synced ? { status: { sync: { revision: synced } } } : {}),
  };
}

/** A poller over a stand-in repository whose answers the test sets; records what it woke. */
function rig(apps: KubeObject[]): { poller: RevisionPoller; answer: (refs: Record<string, string> | Error) => void; woken: string[]; asked: () => number } {
  let next: Record<string, string> | Error = {};
  let asked = 0;
  const woken: string[] = [];
  const poller = new RevisionPoller({
    repos: { lsRemote: () => { asked++; return next instanceof Error ? Promise.reject(next) : Promise.resolve(new Map(Object.entries(next))); } },
    intervalMs: 60_000, apps: () => apps, credentials: () => undefined,
    enqueue: (key) => { woken.push(key); }, log: silentLogger,
  });
  return { poller, answer: (r) => { next = r; }, woken, asked: () => asked };
}

test('one ls-remote per repository; only Applications behind their tracked commit are woken, at every poll until they catch up', async () => {
  const url = 'https://git.example/org/config.git';
  const r = rig([
    app('main-synced', url, 'main', A),
    app('main-behind', url.slice(0, -4), 'main', C), // the same repository spelled without .git
    app('tag', url, 'v1', A),
    app('pinned', url, A, A),
  ]);
  r.answer({ HEAD: A, 'refs/heads/main': A, 'refs/tags/v1': A });
  await r.poller.pollOnce();
  assert.equal(r.asked(), 1, 'one ls-remote for the four Applications of one repository');
  assert.deepEqual(r.woken, ['fjord/main-behind'], 'the first answer wakes what is behind it');

  r.woken.length = 0;
  await r.poller.pollOnce();
  assert.deepEqual(r.woken, ['fjord/main-behind'], 'the same refs again nudge the Application still behind, and nobody else');

  r.woken.length = 0;
  r.answer({ HEAD: B, 'refs/heads/main': B, 'refs/tags/v1': A });
  await r.poller.pollOnce();
  assert.deepEqual(r.woken.sort(), ['fjord/main-behind', 'fjord/main-synced'], 'main moved: the two tracking main, not the tag or the pinned commit');
  assert.equal(r.poller.knownRefs(url)?.get('refs/heads/main'), B);
});

test('a repository that stops answering wakes its Applications once, forgets its refs, and wakes them again when it answers', async () => {
  const url = 'https://git.example/org/config.git';
  const r = rig([app('x', url, 'main', A), app('y', url, 'main', A)]);
  r.answer({ 'refs/heads/main': A });
  await r.poller.pollOnce();
  assert.deepEqual(r.woken, []);
  r.answer(new Error('connection refused'));
  await r.poller.pollOnce();
  await r.poller.pollOnce();
  assert.deepEqual(r.woken, ['fjord/x', 'fjord/y'], 'woken once, so they report the failure themselves');
  assert.equal(r.poller.knownRefs(url), undefined, 'stale refs are not handed out');
  r.woken.length = 0;
  r.answer({ 'refs/heads/main': A });
  await r.poller.pollOnce();
  assert.deepEqual(r.woken, ['fjord/x', 'fjord/y'], 'recovery wakes them although the refs did not move');
});

test('a repository that hangs delays only its own polls: the next tick asks the others again and skips it', async () => {
  const slow = 'https://git.example/org/slow.git';
  const fast = 'https://git.example/org/fast.git';
  const asked: string[] = [];
  let release = (): void => undefined;
  let hang = true;
  const poller = new RevisionPoller({
    repos: {
      lsRemote: (url) => {
        asked.push(url);
        return url === slow && hang ? new Promise((resolve) => { release = () => { resolve(new Map([['refs/heads/main', A]])); }; }) : Promise.resolve(new Map([['refs/heads/main', A]]));
      },
    },
    intervalMs: 60_000, apps: () => [app('s', slow, 'main', A), app('f', fast, 'main', A)], credentials: () => undefined,
    enqueue: () => undefined, log: silentLogger,
  });
  const first = poller.pollOnce();
  await new Promise((resolve) => setImmediate(resolve)); // the fast one answered, the slow one hangs
  await poller.pollOnce();
  await poller.pollOnce();
  assert.deepEqual(asked.filter((u) => u === fast).length, 3, 'the fast repository was asked at every tick');
  assert.deepEqual(asked.filter((u) => u === slow).length, 1, 'the hanging one was not asked again while its poll runs');
  hang = false;
  release();
  await first;
  await poller.pollOnce();
  assert.deepEqual(asked.filter((u) => u === slow).length, 2, 'once it answered, it is asked again');
});
