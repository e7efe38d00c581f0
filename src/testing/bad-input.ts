// The bad-input corpus (testdata/bad-input/cases.yaml): loading the cases, substituting their
// placeholders, and writing a case's revision into a working copy, including what is generated at
// test time (huge files, deep nesting, bytes that are not UTF-8) and symlinks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testdata', 'bad-input');

export interface Expectation {
  readonly type?: string;
  readonly contains?: readonly string[];
  readonly hidden?: readonly string[];
  readonly rejected?: string;
  readonly projectRejected?: string;
}

export interface BadCase {
  readonly id: string;
  readonly group: string;
  readonly what: string;
  readonly project?: string;
  readonly source?: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
  readonly symlinks?: Record<string, string>;
  readonly generate?: Record<string, string | number>;
  readonly afterGood?: boolean;
  readonly absent?: readonly string[];
  readonly expect: Expectation;
}

export interface Corpus {
  readonly projects: Record<string, Record<string, unknown>>;
  readonly cases: readonly BadCase[];
}

export function loadCorpus(): Corpus {
  return parse(readFileSync(join(CORPUS_DIR, 'cases.yaml'), 'utf8')) as Corpus;
}

/** Replaces $NAME placeholders in every string of `value`. */
export function substitute<T>(value: T, vars: Readonly<Record<string, string>>): T {
  const text = (s: string): string => s.replace(/\$([A-Z]+)/g, (m, k: string) => vars[k] ?? m);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function copyTree(from: string, to: string, vars: Readonly<Record<string, string>>): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, vars);
    else {
      mkdirSync(to, { recursive: true });
      writeFileSync(dst, substitute(readFileSync(src, 'utf8'), vars));
    }
  }
}

const header = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const COMMENT = `# ${'x'.repeat(97)}\n`;

function padded(bytes: number, head = ''): string {
  return head + COMMENT.repeat(Math.ceil((bytes - head.length) / COMMENT.length));
}

function documents(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, n) => `---\n${header(`${prefix}-${n}`)}`).join('');
}

/** The files a `generate` entry stands for: path (relative to the case folder) → content. */
function generated(g: Record<string, string | number>, id: string, outside: () => string): Record<string, string | Buffer | { link: string }> {
  const file = String(g['file'] ?? '');
  const n = Number(g['count'] ?? g['depth'] ?? g['bytes'] ?? 0);
  switch (String(g['kind'])) {
    case 'huge-file': return { [file]: padded(n, header(id)) };
    case 'many-big-files': return Object.fromEntries(Array.from({ length: Number(g['files']) }, (_, i) => [`big-${i}.yaml`, padded(Number(g['bytes']))]));
    case 'many-documents': return { [file]: documents(id, n) };
    case 'many-files': return Object.fromEntries(Array.from({ length: Number(g['files']) }, (_, i) => [`docs-${i}.yaml`, documents(`${id}-${i}`, n)]));
    case 'big-list': return { [file]: `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: n }, (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: ${id}-${i}}}\n`).join('')}` };
    case 'deep-yaml-flow': return { [file]: `${header(id)}deep: ${'['.repeat(n)}${']'.repeat(n)}\n` };
    case 'deep-yaml-block': return { [file]: `${header(id)}deep:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('')}` };
    case 'deep-json': return { [file]: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${id}"},"deep":${'['.repeat(n)}${']'.repeat(n)}}\n` };
    case 'invalid-utf8': return { [file]: Buffer.concat([Buffer.from(`${header(id)}data:\n  city: Troms`), Buffer.from([0xf8]), Buffer.from('\n')]) };
    case 'invalid-utf8-json': return { [file]: Buffer.concat([Buffer.from(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${id}"},"data":{"a":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}}\n')]) };
    case 'outside-base': return { [String(g['link'])]: { link: outside() } };
    default: throw new Error(`bad-input case ${id}: unknown generator ${String(g['kind'])}`);
  }
}

/** A kustomization directory outside any repository, for the base-symlinked-out-of-the-repository case. */
export function outsideKustomization(root: string): string {
  const dir = mkdtempSync(join(root, 'outside-'));
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
  writeFileSync(join(dir, 'cm.yaml'), `${header('outside-the-repository')}data:\n  secret: from-the-controller-host\n`);
  return dir;
}

/**
 * Writes revision `which` of case `c` to `<repoDir>/cases/<id>/` (replacing what was there). The bad
 * revision gets the generated files and symlinks too.
 */
export function writeCase(repoDir: string, c: BadCase, which: 'good' | 'bad', vars: Readonly<Record<string, string>>, outside: () => string): void {
  const target = join(repoDir, 'cases', c.id);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const from = join(CORPUS_DIR, c.id, which);
  if (existsSync(from) && statSync(from).isDirectory()) copyTree(from, target, vars);
  if (which === 'good') return;
  const extra: Record<string, string | Buffer | { link: string }> = { ...(c.generate ? generated(c.generate, c.id, outside) : {}) };
  for (const [link, to] of Object.entries(c.symlinks ?? {})) extra[link] = { link: to };
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    if (typeof content === 'object' && 'link' in content) symlinkSync(content.link, join(target, path));
    else writeFileSync(join(target, path), content);
  }
  // git does not keep empty folders: a marker keeps the case's path present.
  writeFileSync(join(target, '.keep'), '');
}

export function scratchRoot(): string {
  return mkdtempSync(join(tmpdir(), 'fjord-bad-input-'));
}
