import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { profileOnSignal } from './cpu-profile.js';

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('SIGUSR2 starts a CPU profile of the running process and the next SIGUSR2 writes it where asked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-cpu-profile-'));
  const lines: string[] = [];
  const stop = profileOnSignal(dir, (m) => { lines.push(m); });
  t.after(() => { stop(); rmSync(dir, { recursive: true, force: true }); });
  process.kill(process.pid, 'SIGUSR2');
  await until('the profile to start', () => (lines.includes('CPU profile started (SIGUSR2 again writes it)') ? true : undefined));
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i); // something to sample
  assert.ok(x > 0);
  process.kill(process.pid, 'SIGUSR2');
  const file = await until('the profile file', () => readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
  assert.match(file, new RegExp(`^fjord-${process.pid}-1\\.cpuprofile$`));
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: unknown[]; samples: number[] };
  assert.ok(profile.nodes.length > 1 && profile.samples.length > 0, 'a V8 profile with samples');
  assert.deepEqual(lines, ['CPU profile started (SIGUSR2 again writes it)', 'CPU profile written']);
});
