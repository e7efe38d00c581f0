// Summarises a V8 CPU profile (from `npm run bench -- --cpu-prof`): the functions with the most self
// time, and the source files with the most self time.
//   node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top N]
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

function shortUrl(url: string): string {
  const i = url.indexOf('/work/main/');
  const u = i >= 0 ? url.slice(i + '/work/main/'.length) : url.replace(/^file:\/\//, '');
  return u.includes('node_modules/') ? `node_modules/${u.split('node_modules/').pop()?.split('/').slice(0, u.includes('/@') ? 2 : 1).join('/') ?? ''}` : u || '(native)';
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top N]');
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  samples.forEach((id, i) => { self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000); });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, msSelf] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const url = shortUrl(n.callFrame.url);
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${url}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + msSelf);
    files.set(url, (files.get(url) ?? 0) + msSelf);
  }
  const print = (title: string, m: Map<string, number>): void => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${(v / 1000).toFixed(2).padStart(8)} s ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}\n`);
  };
  process.stdout.write(`profile ${file}: ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s wall, ${(total / 1000).toFixed(1)} s sampled\n`);
  print('self time by function', fn);
  print('self time by file (or package)', files);
}

main();
