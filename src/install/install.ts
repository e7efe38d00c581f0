// `fjord install`: applies the install manifests with server-side apply, waits for the CRDs to be
// established, creates the default AppProject and, when absent, the SealedSecret CRD (so the
// sealed-secrets role needs no right to create CRDs). Idempotent.
import { stringify } from 'yaml';
import type { ApiFlavor } from '../api/flavor.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import { objectPath } from '../kube/paths.js';
import { waitFor } from '../dev/net.js';
import { defaultProject, installManifests } from './manifests.js';
import { ensureSealedSecretCrd, sealedSecretCrd, SEALED_SECRET_CRD_NAME } from '../secrets/sealed/crd.js';

export const INSTALL_FIELD_MANAGER = 'fjord-install';

export function renderInstallYaml(flavor: ApiFlavor): string {
  return [...installManifests(flavor), defaultProject(flavor), sealedSecretCrd()].map((m) => stringify(m)).join('---\n');
}

async function applyAll(kube: KubeClient, discovery: Discovery, objects: readonly KubeObject[]): Promise<string[]> {
  const done: string[] = [];
  for (const obj of objects) {
    const info = await discovery.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    await kube.apply(objectPath(info, obj.metadata?.name ?? '', obj.metadata?.namespace), obj, { fieldManager: INSTALL_FIELD_MANAGER, force: true });
    done.push(`${obj.kind ?? ''}/${obj.metadata?.name ?? ''}`);
  }
  return done;
}

async function crdEstablished(kube: KubeClient, name: string): Promise<boolean> {
  const crd = await kube.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

/** Creates the SealedSecret CRD unless the cluster has one (e.g. Bitnami's, left as it is). */
async function sealedSecretCrdOnce(kube: KubeClient): Promise<string[]> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${SEALED_SECRET_CRD_NAME}`;
  if (await kube.getOrUndefined(path)) return [];
  await ensureSealedSecretCrd(kube, INSTALL_FIELD_MANAGER);
  return [`CustomResourceDefinition/${SEALED_SECRET_CRD_NAME}`];
}

/** Installs (or updates) Fjord's CRDs, namespace, RBAC and default project; returns what was applied. */
export async function install(kube: KubeClient, flavor: ApiFlavor): Promise<string[]> {
  const discovery = new Discovery(kube);
  const manifests = installManifests(flavor);
  const crds = manifests.filter((m) => m.kind === 'CustomResourceDefinition');
  const applied = await applyAll(kube, discovery, crds);
  for (const crd of crds) {
    await waitFor(`CRD ${crd.metadata?.name ?? ''} established`, async () => ((await crdEstablished(kube, crd.metadata?.name ?? '')) ? true : undefined), { timeoutMs: 60_000 });
  }
  await discovery.refresh();
  applied.push(...await applyAll(kube, discovery, manifests.filter((m) => m.kind !== 'CustomResourceDefinition')));
  applied.push(...await sealedSecretCrdOnce(kube));
  const project = defaultProject(flavor);
  const projectPath = `/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/appprojects`;
  if (!await kube.getOrUndefined(`${projectPath}/default`)) {
    try {
      await kube.create(projectPath, project);
      applied.push('AppProject/default');
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
    }
  }
  return applied;
}

/** True when both CRDs of the flavor exist. */
export async function crdsInstalled(kube: KubeClient, flavor: ApiFlavor): Promise<boolean> {
  for (const plural of ['applications', 'appprojects']) {
    if (!await kube.getOrUndefined(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.${flavor.group}`)) return false;
  }
  return true;
}
