// A burst of commits as the Git server sees it: `count` commits written into the bare repository in one
// `git fast-import` (one process, not one per commit), then main moved through them one by one by
// rewriting its ref file (atomic rename), as fast as pushes landing back to back.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { configMap } from '../testing/manifests.js';

function run(cwd: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: [input === '' ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('close', (code) => { if (code === 0) resolve(out.trim()); else reject(new Error(`git ${args[0] ?? ''} in ${cwd} exited ${String(code)}: ${err}`)); });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a git that exits early reports through its exit code
      child.stdin.end(input);
    }
  });
}

const data = (s: string): string => `data ${Buffer.byteLength(s)}\n${s}\n`;

/** The files of commit `n`: ConfigMap `a-<i>` with `v: n` under `w<i>/` for each app. */
export function burstFiles(apps: number, n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: apps }, (_, i) => [`w${i}/a.yaml`, configMap(`a-${i}`, { v: String(n) })]));
}

/** Writes `count` commits on top of main into the bare repository `gitDir`; returns their SHAs in order. */
export async function writeCommits(gitDir: string, apps: number, count: number): Promise<string[]> {
  const parent = await run(gitDir, ['rev-parse', 'refs/heads/main']);
  const when = Math.floor(Date.now() / 1000);
  let stream = '';
  for (let n = 1; n <= count; n++) {
    stream += `commit refs/burst/tmp\nmark :${n}\ncommitter Fjord Test <test@example.com> ${when + n} +0000\n${data(`burst ${n}`)}`;
    if (n === 1) stream += `from ${parent}\n`;
    for (const [path, content] of Object.entries(burstFiles(apps, n))) stream += `M 100644 inline ${path}\n${data(content)}`;
    stream += '\n';
  }
  const marks = join(gitDir, 'burst-marks');
  await run(gitDir, ['fast-import', '--quiet', `--export-marks=${marks}`], stream);
  const byMark = new Map(readFileSync(marks, 'utf8').trim().split('\n').map((l) => { const [m, sha] = l.split(' '); return [m ?? '', sha ?? '']; }));
  return Array.from({ length: count }, (_, k) => byMark.get(`:${k + 1}`) ?? '');
}

/** Points main of the bare repository at `sha` (what a push does to the ref, atomically). */
export function moveMain(gitDir: string, sha: string): void {
  const ref = join(gitDir, 'refs', 'heads', 'main');
  writeFileSync(`${ref}.burst`, `${sha}\n`);
  renameSync(`${ref}.burst`, ref);
}
