// The render cache holds every Application's render up to a bound on rendered objects, so the
// periodic reconcile of many Applications finds them all instead of evicting each other in turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCache } from './app-source.js';
import type { RenderedObject } from '../render/types.js';

const rendered = (n: number): RenderedObject[] => Array.from({ length: n }, (_, i) => ({ object: { kind: 'ConfigMap', metadata: { name: `c${i}` } }, file: `c${i}.yaml`, index: 0 }));

test('1,000 Applications of 10 objects all stay cached through a periodic pass', () => {
  const cache = new RenderCache();
  for (let i = 0; i < 1000; i++) cache.set(`sha|apps/a${i}|{"appName":"a${i}"}`, { rendered: rendered(10), sourceType: 'Directory' });
  const misses = Array.from({ length: 1000 }, (_, i) => cache.get(`sha|apps/a${i}|{"appName":"a${i}"}`)).filter((e) => e === undefined).length;
  assert.equal(misses, 0);
  assert.equal(cache.size, 10_000);
});

test('over the bound, the least recently used renders go first and the count stays exact', () => {
  const cache = new RenderCache(25);
  cache.set('a', { rendered: rendered(10), sourceType: 'Directory' });
  cache.set('b', { rendered: rendered(10), sourceType: 'Directory' });
  assert.ok(cache.get('a'), 'a is now the most recently used');
  cache.set('c', { rendered: rendered(10), sourceType: 'Directory' });
  assert.equal(cache.get('b'), undefined, 'b was the least recently used');
  assert.ok(cache.get('a') && cache.get('c'));
  assert.equal(cache.size, 20);
  cache.set('c', { rendered: rendered(3), sourceType: 'Directory' });
  assert.equal(cache.size, 13, 'replacing an entry replaces its weight');
  cache.set('huge', { rendered: rendered(40), sourceType: 'Directory' });
  assert.ok(cache.get('huge'), 'an entry larger than the bound is still kept (alone)');
  assert.equal(cache.size, 40);
});
