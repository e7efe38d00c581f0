// A Helm chart app: `helm template` the way Argo CD runs it (release name defaulting to the app name,
// the destination namespace, value files, inline values, --set/--set-string, CRDs included unless
// skipCrds), with Helm's cache, config, data and plugins in a scratch directory. There is no cluster
// access, no `helm dependency build` (it would write into the checkout and reach the network): a
// chart whose charts/ directory lacks its dependencies fails with helm's own message.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binaryPath } from '../dev/paths.js';
import { inlineValues, resolveValueFiles, templateArgs } from './helm-args.js';
import { DocumentBudget, parseYamlStreamYielding } from './manifests.js';
import { assertSymlinksInside } from './secure-path.js';
import { DEFAULT_TOOL_TIMEOUT_MS, dirRewrites, isolatedEnv, runTool, withScratchDir } from './tool-run.js';
import { displayPath, type AppDir, type HelmOptions, type RenderedObject } from './types.js';

export interface HelmRun {
  readonly appName: string;
  readonly destinationNamespace?: string;
  readonly helm?: HelmOptions;
  readonly timeoutMs?: number;
}

function helmEnv(scratch: string): NodeJS.ProcessEnv {
  return isolatedEnv(scratch, {
    HELM_CACHE_HOME: join(scratch, 'helm-cache'),
    HELM_CONFIG_HOME: join(scratch, 'helm-config'),
    HELM_DATA_HOME: join(scratch, 'helm-data'),
    HELM_PLUGINS: join(scratch, 'helm-plugins'),
  });
}

async function valueFileArgs(app: AppDir, opts: HelmOptions, scratch: string, label: string): Promise<string[]> {
  const files = await resolveValueFiles(app, opts, label);
  const inline = inlineValues(opts, label);
  if (inline === undefined) return files;
  const inlineFile = join(scratch, 'inline-values.yaml');
  await writeFile(inlineFile, inline, { mode: 0o600 });
  return [...files, inlineFile];
}

export async function renderHelm(app: AppDir, run: HelmRun): Promise<RenderedObject[]> {
  // Helm follows symlinks when it loads a chart, so .Files.Get could read outside the checkout.
  await assertSymlinksInside(app.repoRoot, app.dir);
  const opts = run.helm ?? {};
  const label = `<helm ${displayPath(app.path)}>`;
  const stdout = await withScratchDir('fjord-helm-', async (scratch) => {
    const args = templateArgs({
      releaseName: opts.releaseName || run.appName,
      chartDir: app.dir,
      ...(run.destinationNamespace ? { namespace: run.destinationNamespace } : {}),
      valueFiles: await valueFileArgs(app, opts, scratch, label),
      parameters: opts.parameters ?? [],
      skipCrds: opts.skipCrds ?? false,
    });
    const env = helmEnv(scratch);
    const timeoutMs = run.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    return runTool({ label, shownCommand: 'helm template', binary: binaryPath('helm'), args, env, timeoutMs, rewrites: [...dirRewrites(app.repoRoot, '.'), ...dirRewrites(scratch, '<scratch>')] });
  });
  return parseYamlStreamYielding(stdout, label, new DocumentBudget());
}
