// A Kustomize app: `kubectl kustomize <dir>` with the default load restrictor (files must stay under
// each kustomization's root), no plugins, no helm, no user config. Overrides go into a wrapper
// kustomization in a scratch directory that refers to the app by a relative path; the checkout is
// never written to. Remote bases (URLs in resources) are refused before kustomize runs
// (kustomize-remote.ts).
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { binaryPath } from '../dev/paths.js';
import { DocumentBudget, parseYamlStreamYielding } from './manifests.js';
import { hasOverrides, wrapperKustomization } from './kustomize-options.js';
import { assertKustomizationsLocal } from './kustomize-remote.js';
import { assertSymlinksInside } from './secure-path.js';
import { DEFAULT_TOOL_TIMEOUT_MS, dirRewrites, isolatedEnv, runTool, withScratchDir } from './tool-run.js';
import { displayPath, RenderError, type AppDir, type KustomizeOptions, type RenderedObject } from './types.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizeRun {
  readonly kustomize?: KustomizeOptions;
  readonly timeoutMs?: number;
}

function wrapperText(appRef: string, opts: KustomizeOptions, label: string): string {
  try {
    return stringify(wrapperKustomization(appRef, opts));
  } catch (e) {
    throw new RenderError(`${label}: ${(e as Error).message}`, label, { cause: e });
  }
}

/** Writes the wrapper kustomization into `dir`, referring to the app by `appRef`. */
async function writeWrapper(dir: string, appRef: string, opts: KustomizeOptions, label: string): Promise<void> {
  const text = wrapperText(appRef, opts, label);
  await mkdir(dir);
  await writeFile(join(dir, 'kustomization.yaml'), text, { mode: 0o600 });
}

async function buildIn(app: AppDir, run: KustomizeRun, scratch: string, label: string): Promise<string> {
  const realScratch = await realpath(scratch);
  const wrapperDir = join(realScratch, 'wrapper');
  const appRef = relative(wrapperDir, app.dir);
  const wrapped = hasOverrides(run.kustomize);
  if (wrapped) await writeWrapper(wrapperDir, appRef, run.kustomize, label);
  return runTool({
    label,
    shownCommand: 'kubectl kustomize',
    binary: binaryPath('kubectl'),
    args: ['kustomize', wrapped ? wrapperDir : app.dir],
    env: isolatedEnv(scratch),
    timeoutMs: run.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    rewrites: [[appRef, displayPath(app.path)], ...dirRewrites(app.repoRoot, '.'), ...dirRewrites(wrapperDir, '<wrapper>')],
  });
}

export async function renderKustomize(app: AppDir, run: KustomizeRun = {}): Promise<RenderedObject[]> {
  await assertSymlinksInside(app.repoRoot, app.dir);
  await assertKustomizationsLocal(app.repoRoot, app.dir);
  const label = `<kustomize ${displayPath(app.path)}>`;
  const stdout = await withScratchDir('fjord-kustomize-', (scratch) => buildIn(app, run, scratch, label));
  return parseYamlStreamYielding(stdout, label, new DocumentBudget());
}
