// Acting as one of Fjord's ServiceAccounts on the test cluster: a short-lived token from the
// TokenRequest API (the dev cluster signs service-account tokens), a client and a kubeconfig file
// carrying it, a SelfSubjectAccessReview, and an install of Fjord into a namespace of the test's own
// (its ClusterRoles named after that namespace) removed when the test ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { FJORD, type ApiFlavor } from '../api/flavor.js';
import { install } from '../install/install.js';
import { clusterScopedName, INSTALL_ROLES, serviceAccountName, type InstallRole } from '../install/manifests.js';
import { KubeApiError, KubeClient } from '../kube/client.js';
import { renderKubeconfig } from '../kube/kubeconfig.js';
import { defer } from './cleanup.js';

export interface RoleIdentity {
  readonly role: InstallRole;
  /** A client that authenticates as the role's ServiceAccount. */
  readonly kube: KubeClient;
  /** A kubeconfig file with the same token, for `fjord run --kubeconfig`. */
  readonly kubeconfig: string;
}

/** Installs Fjord into a fresh namespace; deletes the namespace and its cluster-wide RBAC afterwards. */
export async function installIsolated(t: TestContext, admin: KubeClient, prefix = 'rbac'): Promise<ApiFlavor> {
  const flavor: ApiFlavor = { ...FJORD, namespace: `${prefix}-${randomBytes(4).toString('hex')}` };
  defer(t, async () => {
    for (const role of INSTALL_ROLES) {
      for (const kind of ['clusterrolebindings', 'clusterroles']) {
        await admin.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/${kind}/${clusterScopedName(flavor, role)}`).catch(() => undefined);
      }
    }
    await admin.delete(`/api/v1/namespaces/${flavor.namespace}`);
  });
  await install(admin, flavor);
  return flavor;
}

async function requestToken(admin: KubeClient, namespace: string, account: string): Promise<string> {
  const path = `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`;
  const r = await admin.request<{ status?: { token?: string } }>('POST', path, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const token = r.status?.token;
  if (!token) throw new Error(`POST ${path}: no token in the answer`);
  return token;
}

/** Acts as `fjord-<role>` of the install: its own client and kubeconfig, both closed/removed after the test. */
export async function actAs(t: TestContext, admin: KubeClient, flavor: ApiFlavor, role: InstallRole): Promise<RoleIdentity> {
  const token = await requestToken(admin, flavor.namespace, serviceAccountName(role));
  const { server, caPem, insecureSkipTlsVerify } = admin.access;
  const kube = new KubeClient({ server, insecureSkipTlsVerify, token, ...(caPem ? { caPem } : {}) });
  const dir = mkdtempSync(join(tmpdir(), `fjord-${role}-`));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig({ name: `fjord-${role}`, server, caPem: caPem ?? '', token }), { mode: 0o600 });
  defer(t, async () => { await kube.close(); rmSync(dir, { recursive: true, force: true }); });
  return { role, kube, kubeconfig };
}

export interface Access { verb: string; resource: string; group?: string; namespace?: string; name?: string; subresource?: string }

/** The API server's answer to "may I?" for the client's own identity (SelfSubjectAccessReview). */
export async function can(kube: KubeClient, a: Access): Promise<boolean> {
  const r = await kube.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { group: a.group ?? '', ...a } } },
  });
  return r.status?.allowed === true;
}

/** The HTTP status a request failed with (0 when it succeeded). */
export async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    if (e instanceof KubeApiError) return e.status;
    throw e;
  }
}
