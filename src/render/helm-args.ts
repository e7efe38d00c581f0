// The argv of `helm template` for an Argo CD spec.source.helm, and the value files it may read.
// Value files are resolved relative to the app (chart) path and must stay inside the repository:
// an absolute path, a '..' escape or an escaping symlink is refused (Argo CD's CVE-2022-24348 class).
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Composer, LineCounter, Parser } from 'yaml';
import { secureJoin } from './secure-path.js';
import { RenderError, type AppDir, type HelmOptions, type HelmParameter } from './types.js';

export interface TemplateArgs {
  readonly releaseName: string;
  readonly chartDir: string;
  readonly namespace?: string;
  /** Real paths, in order: the value files, then the file holding values/valuesObject. */
  readonly valueFiles: readonly string[];
  readonly parameters: readonly HelmParameter[];
  readonly skipCrds: boolean;
}

/** Escapes commas so one parameter stays one value; a '{a,b}' list is left as helm's list syntax (as Argo CD does). */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let prev = '';
  for (const ch of value) {
    out += ch === ',' && prev !== '\\' ? '\\,' : ch;
    prev = ch;
  }
  return out;
}

function setArg(p: HelmParameter): string {
  return `${p.forceString ? '--set-string' : '--set'}=${p.name}=${escapeSetValue(p.value)}`;
}

/** Flags use the `--flag=value` form and positionals follow `--`, so no value is ever read as a flag. */
export function templateArgs(t: TemplateArgs): string[] {
  return [
    'template',
    ...(t.namespace ? [`--namespace=${t.namespace}`] : []),
    ...t.valueFiles.map((f) => `--values=${f}`),
    ...t.parameters.map(setArg),
    ...(t.skipCrds ? [] : ['--include-crds']),
    '--',
    t.releaseName,
    t.chartDir,
  ];
}

function refuseUnsupported(valueFile: string, label: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(valueFile)) throw new RenderError(`${label}: value file ${valueFile}: remote value files are not supported`, valueFile);
  if (valueFile.startsWith('$')) throw new RenderError(`${label}: value file ${valueFile}: $ref value files (multiple sources) are not supported`, valueFile);
}

async function isFile(real: string): Promise<boolean | undefined> {
  try {
    return (await stat(real)).isFile();
  } catch {
    return undefined;
  }
}

/** One value file → its real path, or undefined when it is missing and missing files are ignored. */
async function resolveValueFile(app: AppDir, valueFile: string, opts: HelmOptions, label: string): Promise<string | undefined> {
  refuseUnsupported(valueFile, label);
  if (posix.isAbsolute(valueFile)) throw new RenderError(`${label}: value file ${valueFile} is absolute; value files must be relative to the app path`, valueFile);
  const shown = posix.join(app.path, valueFile);
  let real: string;
  try {
    real = secureJoin(app.repoRoot, app.path === '' ? valueFile : `${app.path}/${valueFile}`);
  } catch (e) {
    throw new RenderError(`${label}: value file ${valueFile}: ${(e as Error).message}`, valueFile, { cause: e });
  }
  const file = await isFile(real);
  if (file === true) return real;
  if (file === false) throw new RenderError(`${label}: value file ${shown} is not a file`, shown);
  if (opts.ignoreMissingValueFiles) return undefined;
  throw new RenderError(`${label}: value file ${shown} does not exist in the repository`, shown);
}

export async function resolveValueFiles(app: AppDir, opts: HelmOptions, label: string): Promise<string[]> {
  const out: string[] = [];
  for (const vf of opts.valueFiles ?? []) {
    const real = await resolveValueFile(app, vf, opts, label);
    if (real !== undefined) out.push(real);
  }
  return out;
}

/** The text of the inline values file, or undefined when there is none. valuesObject replaces values, as in Argo CD. */
export function inlineValues(opts: HelmOptions, label: string): string | undefined {
  if (opts.valuesObject !== undefined) return JSON.stringify(opts.valuesObject);
  if (opts.values === undefined || opts.values.trim() === '') return undefined;
  const lines = new LineCounter();
  for (const doc of new Composer().compose(new Parser(lines.addNewLine).parse(opts.values))) {
    const [first] = doc.errors;
    if (first) throw new RenderError(`${label}: helm values: YAML error at line ${lines.linePos(first.pos[0]).line}: ${first.message}`, label, { cause: first });
  }
  return opts.values;
}
