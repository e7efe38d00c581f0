// Per-process CPU seconds and memory from /proc (Linux), and the API server's request counters.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { KubeClient } from '../../src/kube/client.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const HZ = 100;

export interface ProcSample {
  /** User + system CPU seconds since the process started (its children not included). */
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  /** Peak resident set size (VmHWM). */
  readonly peakRssMiB: number;
}

export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { cpuSeconds: (utime + stime) / HZ, rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
}

/** The sum over several processes (Flux runs two); peak RSS is the sum of the peaks. */
export function procsSample(pids: readonly number[]): ProcSample {
  const all = pids.map(procSample);
  return {
    cpuSeconds: all.reduce((a, s) => a + s.cpuSeconds, 0),
    rssMiB: all.reduce((a, s) => a + s.rssMiB, 0),
    peakRssMiB: all.reduce((a, s) => a + s.peakRssMiB, 0),
  };
}

/** apiserver_request_total summed by verb and resource, keyed `VERB resource` (WATCH counts only finished watches, so it is left out). */
export async function apiRequestsByVerbResource(kube: KubeClient): Promise<Record<string, number>> {
  const text = await kube.request<string>('GET', '/metrics', { headers: { accept: 'text/plain' } });
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([A-Z]+)"/.exec(line)?.[1] ?? '?';
    const resource = /[{,]resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const subresource = /subresource="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const key = `${verb} ${resource || '(non-resource)'}${subresource ? `/${subresource}` : ''}`;
    if (verb !== 'WATCH' && Number.isFinite(value)) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/** Per-`VERB resource` counts summed by verb. */
export function byVerb(detail: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(detail)) {
    const verb = key.slice(0, key.indexOf(' '));
    out[verb] = (out[verb] ?? 0) + v;
  }
  return out;
}

/** apiserver_request_total summed by verb (WATCH left out). */
export async function apiRequestsByVerb(kube: KubeClient): Promise<Record<string, number>> {
  return byVerb(await apiRequestsByVerbResource(kube));
}

/** after − before, per key, keeping only keys that grew. */
export function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(after)) if (v - (before[key] ?? 0) > 0) out[key] = v - (before[key] ?? 0);
  return out;
}

/** after − before, per verb, scaled to one minute. */
export function perMinute(before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [verb, v] of Object.entries(after)) {
    const d = v - (before[verb] ?? 0);
    if (d > 0) out[verb] = Math.round((d * 60) / seconds);
  }
  return out;
}

export const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

export function machine(): { nproc: number; cpuModel: string; memoryGiB: number; node: string; platform: string } {
  const cpu = cpus();
  return {
    nproc: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version, platform: `${process.platform} ${process.arch}`,
  };
}
