// Renders one application source to Kubernetes objects, choosing the tool as Argo CD does: the
// source type set explicitly in the spec (exactly one of helm, kustomize, directory), else what the
// app directory holds (a kustomization file wins over Chart.yaml, as in Argo CD's discovery), else a
// plain directory of manifests.
import { readdir } from 'node:fs/promises';
import { resolveAppDir } from './app-dir.js';
import { renderDirectory } from './directory.js';
import { renderHelm } from './helm.js';
import { KUSTOMIZATION_FILES, renderKustomize } from './kustomize.js';
import { RenderError, displayPath, type AppDir, type RenderRequest, type RenderedObject, type SourceType } from './types.js';

function explicitType(req: RenderRequest): SourceType | undefined {
  const set: SourceType[] = [];
  if (req.helm) set.push('helm');
  if (req.kustomize) set.push('kustomize');
  if (req.directory) set.push('directory');
  if (set.length > 1) throw new RenderError(`${displayPath(req.path)}: multiple source types set (${set.join(', ')}); set at most one`, req.path);
  return set[0];
}

/** The tool for an app directory: explicit type first, then the files it holds. */
export async function detectSourceType(req: RenderRequest, app: AppDir): Promise<SourceType> {
  const explicit = explicitType(req);
  if (explicit) return explicit;
  const names = new Set(await readdir(app.dir));
  if (KUSTOMIZATION_FILES.some((f) => names.has(f))) return 'kustomize';
  if (names.has('Chart.yaml')) return 'helm';
  return 'directory';
}

function withTimeout(req: RenderRequest): { timeoutMs?: number } {
  return req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {};
}

/** Renders the app at req.path in req.repoRoot; never writes into the checkout. Throws RenderError naming the file and cause. */
export async function render(req: RenderRequest): Promise<RenderedObject[]> {
  const app = await resolveAppDir(req);
  const type = await detectSourceType(req, app);
  switch (type) {
    case 'directory':
      return renderDirectory(app, req.directory);
    case 'kustomize':
      return renderKustomize(app, { ...withTimeout(req), ...(req.kustomize ? { kustomize: req.kustomize } : {}) });
    case 'helm':
      return renderHelm(app, {
        appName: req.appName,
        ...withTimeout(req),
        ...(req.destinationNamespace ? { destinationNamespace: req.destinationNamespace } : {}),
        ...(req.helm ? { helm: req.helm } : {}),
      });
  }
}
