// What `fjord install` puts into a cluster: the CRDs, the namespace, the default AppProject, an empty
// settings ConfigMap, and per role (controller, server, sealed-secrets) a ServiceAccount with a
// ClusterRole and, for what only Fjord's own namespace needs, a Role. docs/adr/0012 gives each rule's
// reason; src/install/rbac.int.test.ts runs each role's work under its ServiceAccount.
import type { KubeObject } from '../kube/client.js';
import { appProjectCrd, applicationCrd } from '../api/crds.js';
import { FJORD, type ApiFlavor } from '../api/flavor.js';
import { SEALED_SECRET_CRD_NAME, SEALED_SECRET_GROUP, SEALED_SECRET_PLURAL } from '../secrets/sealed/crd.js';
import { CERT_CONFIGMAP } from '../secrets/sealed/key-ring.js';
import { CONTROLLER_SERVICE } from '../secrets/sealed/service.js';

const PART_OF = { 'app.kubernetes.io/part-of': 'fjord' };
const RBAC = 'rbac.authorization.k8s.io';

export const INSTALL_ROLES = ['controller', 'server', 'sealed-secrets'] as const;
export type InstallRole = (typeof INSTALL_ROLES)[number];

interface Rule { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] }

/** The ServiceAccount a role runs as, in the flavor's namespace. */
export function serviceAccountName(role: InstallRole): string {
  return `fjord-${role}`;
}

/**
 * ClusterRoles and ClusterRoleBindings are cluster-wide, so their names carry the namespace unless it
 * is Fjord's own: installing the argocd flavor (or into another namespace) next to Fjord's must not
 * re-point Fjord's bindings or swap its rules for another API group.
 */
export function clusterScopedName(flavor: ApiFlavor, role: string): string {
  return flavor.namespace === FJORD.namespace ? `fjord-${role}` : `fjord-${flavor.namespace}-${role}`;
}

function serviceAccount(flavor: ApiFlavor, role: InstallRole): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccountName(role), namespace: flavor.namespace, labels: PART_OF } };
}

function subjects(flavor: ApiFlavor, role: InstallRole): unknown[] {
  return [{ kind: 'ServiceAccount', name: serviceAccountName(role), namespace: flavor.namespace }];
}

function clusterRole(flavor: ApiFlavor, role: InstallRole, rules: Rule[]): KubeObject[] {
  const name = clusterScopedName(flavor, role);
  return [
    { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, labels: PART_OF }, rules },
    { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name, labels: PART_OF }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name }, subjects: subjects(flavor, role) },
  ];
}

/** A Role and RoleBinding in Fjord's own namespace (names need no prefix: the namespace is the scope). */
function namespacedRole(flavor: ApiFlavor, role: InstallRole, rules: Rule[]): KubeObject[] {
  const metadata = { name: serviceAccountName(role), namespace: flavor.namespace, labels: PART_OF };
  return [
    { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata, rules },
    { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata, roleRef: { apiGroup: RBAC, kind: 'Role', name: metadata.name }, subjects: subjects(flavor, role) },
  ];
}

const READ = ['get', 'list', 'watch'];

/** `fjord run` checks that Fjord's CRDs exist before it starts any role (src/cli/run.ts). */
function crdCheck(flavor: ApiFlavor, extra: string[] = []): Rule {
  return { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: [`applications.${flavor.group}`, `appprojects.${flavor.group}`, ...extra], verbs: ['get'] };
}

/** Every role reads the settings ConfigMap at start (src/cli/run.ts loadConfig). */
function settingsRead(flavor: ApiFlavor): Rule {
  return { apiGroups: [''], resources: ['configmaps'], resourceNames: [flavor.configMapName], verbs: ['get'] };
}

/**
 * The controller applies whatever Git declares, so it may manage every kind (as Argo CD's
 * application controller does); that is the one broad grant, and AppProjects fence what each
 * Application may actually touch. A process running several roles runs as this account.
 */
function controllerRbac(flavor: ApiFlavor): KubeObject[] {
  return clusterRole(flavor, 'controller', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['get'] },
  ]);
}

/**
 * The API server alone (`fjord run --roles server`) reads and edits Applications, reads AppProjects
 * and Fjord's Secrets (tokens, repositories, clusters, webhook secrets), all in Fjord's namespace, and
 * reads events where the Applications' resources live. Trees, diffs and live manifests are computed
 * by the controller's parts with the controller's client, so the server reads no managed kind.
 */
function serverRbac(flavor: ApiFlavor): KubeObject[] {
  return [
    ...clusterRole(flavor, 'server', [
      crdCheck(flavor),
      { apiGroups: [''], resources: ['events'], verbs: ['get', 'list'] },
    ]),
    ...namespacedRole(flavor, 'server', [
      { apiGroups: [flavor.group], resources: ['applications'], verbs: [...READ, 'patch', 'delete'] },
      { apiGroups: [flavor.group], resources: ['appprojects'], verbs: READ },
      { apiGroups: [''], resources: ['secrets'], verbs: READ },
      settingsRead(flavor),
    ]),
  ];
}

/**
 * The Sealed Secrets controller unseals into any namespace (as Bitnami's does): it watches
 * SealedSecrets and the Secrets it made everywhere, writes those Secrets and SealedSecret status, and
 * records events beside them. In Fjord's namespace it keeps its keys (Secrets, covered above), the
 * certificate ConfigMap, and the Service and Endpoints kubeseal reaches it through.
 */
function sealedSecretsRbac(flavor: ApiFlavor): KubeObject[] {
  const named = (resources: string[], name: string): Rule => ({ apiGroups: [''], resources, resourceNames: [name], verbs: ['patch'] });
  return [
    ...clusterRole(flavor, 'sealed-secrets', [
      crdCheck(flavor, [SEALED_SECRET_CRD_NAME]),
      { apiGroups: [SEALED_SECRET_GROUP], resources: [SEALED_SECRET_PLURAL], verbs: READ },
      { apiGroups: [SEALED_SECRET_GROUP], resources: [`${SEALED_SECRET_PLURAL}/status`], verbs: ['patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: [...READ, 'create', 'patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]),
    ...namespacedRole(flavor, 'sealed-secrets', [
      settingsRead(flavor),
      { apiGroups: [''], resources: ['configmaps', 'services', 'endpoints'], verbs: ['create'] },
      named(['configmaps'], CERT_CONFIGMAP),
      named(['services', 'endpoints'], CONTROLLER_SERVICE),
    ]),
  ];
}

/** Every RBAC object `fjord install` makes, for all roles. */
export function rbacManifests(flavor: ApiFlavor): KubeObject[] {
  return [
    ...INSTALL_ROLES.map((role) => serviceAccount(flavor, role)),
    ...controllerRbac(flavor),
    ...serverRbac(flavor),
    ...sealedSecretsRbac(flavor),
  ];
}

export function installManifests(flavor: ApiFlavor): KubeObject[] {
  return [
    applicationCrd(flavor),
    appProjectCrd(flavor),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: flavor.namespace, labels: PART_OF } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: flavor.configMapName, namespace: flavor.namespace, labels: PART_OF } },
    ...rbacManifests(flavor),
  ];
}

/** The `default` AppProject: any repository, any destination, any kind (as Argo CD's). */
export function defaultProject(flavor: ApiFlavor): KubeObject {
  return {
    apiVersion: `${flavor.group}/${flavor.version}`, kind: 'AppProject',
    metadata: { name: 'default', namespace: flavor.namespace, labels: PART_OF },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}
