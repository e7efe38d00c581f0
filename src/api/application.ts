// The Application and AppProject specs, validated at the boundary with zod. Field names and defaults
// follow Argo CD's v1alpha1 API so existing manifests keep working.
import { z } from 'zod';

const str = z.string();
const stringMap = z.record(z.string(), z.string());

export const helmSchema = z.object({
  releaseName: str.optional(),
  valueFiles: z.array(str).optional(),
  ignoreMissingValueFiles: z.boolean().optional(),
  values: str.optional(),
  valuesObject: z.record(z.string(), z.unknown()).optional(),
  parameters: z.array(z.object({ name: str, value: str.optional().default(''), forceString: z.boolean().optional() })).optional(),
  skipCrds: z.boolean().optional(),
  namespace: str.optional(),
}).loose();

export const kustomizeSchema = z.object({
  namePrefix: str.optional(),
  nameSuffix: str.optional(),
  images: z.array(str).optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  namespace: str.optional(),
}).loose();

export const directorySchema = z.object({
  recurse: z.boolean().optional(),
  include: str.optional(),
  exclude: str.optional(),
}).loose();

export const sourceSchema = z.object({
  repoURL: str.min(1, 'repoURL is required'),
  targetRevision: str.optional().default('HEAD'),
  path: str.optional().default(''),
  chart: str.optional(),
  helm: helmSchema.optional(),
  kustomize: kustomizeSchema.optional(),
  directory: directorySchema.optional(),
  name: str.optional(),
  ref: str.optional(),
}).loose();

export const destinationSchema = z.object({
  server: str.optional(),
  name: str.optional(),
  namespace: str.optional(),
}).loose().refine((d) => Boolean(d.server) !== Boolean(d.name), { message: 'destination needs exactly one of server or name' });

export const retrySchema = z.object({
  limit: z.number().int().optional(),
  backoff: z.object({ duration: str.optional(), factor: z.number().optional(), maxDuration: str.optional() }).optional(),
}).loose();

export const syncPolicySchema = z.object({
  automated: z.object({
    enabled: z.boolean().optional(),
    prune: z.boolean().optional(),
    selfHeal: z.boolean().optional(),
    allowEmpty: z.boolean().optional(),
  }).loose().optional(),
  syncOptions: z.array(str).optional(),
  managedNamespaceMetadata: z.object({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
  retry: retrySchema.optional(),
}).loose();

export const ignoreDifferenceSchema = z.object({
  group: str.optional().default(''),
  kind: str,
  name: str.optional(),
  namespace: str.optional(),
  jsonPointers: z.array(str).optional(),
  jqPathExpressions: z.array(str).optional(),
  managedFieldsManagers: z.array(str).optional(),
}).loose();

export const applicationSpecSchema = z.object({
  project: str.optional().default('default'),
  source: sourceSchema.optional(),
  sources: z.array(sourceSchema).optional(),
  destination: destinationSchema,
  syncPolicy: syncPolicySchema.optional(),
  ignoreDifferences: z.array(ignoreDifferenceSchema).optional(),
  revisionHistoryLimit: z.number().int().min(0).optional(),
  info: z.array(z.object({ name: str, value: str })).optional(),
}).loose().refine((s) => Boolean(s.source) || (s.sources?.length ?? 0) > 0, { message: 'spec.source (or spec.sources) is required' });

export type ApplicationSpec = z.infer<typeof applicationSpecSchema>;
export type ApplicationSource = z.infer<typeof sourceSchema>;
export type SyncPolicy = z.infer<typeof syncPolicySchema>;
export type IgnoreDifference = z.infer<typeof ignoreDifferenceSchema>;

const resourceRef = z.object({ group: str.optional().default(''), kind: str, name: str.optional() });

export const appProjectSpecSchema = z.object({
  description: str.optional(),
  sourceRepos: z.array(str).optional().default([]),
  destinations: z.array(z.object({ server: str.optional(), name: str.optional(), namespace: str.optional() })).optional().default([]),
  clusterResourceWhitelist: z.array(resourceRef).optional(),
  clusterResourceBlacklist: z.array(resourceRef).optional(),
  namespaceResourceWhitelist: z.array(resourceRef).optional(),
  namespaceResourceBlacklist: z.array(resourceRef).optional(),
  sourceNamespaces: z.array(str).optional(),
}).loose();

export type AppProjectSpec = z.infer<typeof appProjectSpecSchema>;

/** Parses a spec, or returns the problems as one line naming each field. */
export function parseApplicationSpec(spec: unknown): { ok: true; spec: ApplicationSpec } | { ok: false; error: string } {
  const r = applicationSpecSchema.safeParse(spec);
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, error: r.error.issues.map((i) => `spec${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`).join('; ') };
}

export function parseAppProjectSpec(spec: unknown): { ok: true; spec: AppProjectSpec } | { ok: false; error: string } {
  const r = appProjectSpecSchema.safeParse(spec ?? {});
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, error: r.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ') };
}
