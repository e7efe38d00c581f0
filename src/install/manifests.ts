// What `fjord install` puts into a cluster: the CRDs, the namespace, the default AppProject, an empty
// settings ConfigMap, and one ServiceAccount per role with its own ClusterRole.
import type { KubeObject } from '../kube/client.js';
import { appProjectCrd, applicationCrd } from '../api/crds.js';
import { FJORD, type ApiFlavor } from '../api/flavor.js';

const PART_OF = { 'app.kubernetes.io/part-of': 'fjord' };

function serviceAccount(flavor: ApiFlavor, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: flavor.namespace, labels: PART_OF } };
}

/**
 * ClusterRoles and ClusterRoleBindings are cluster-wide, so their names carry the namespace unless it
 * is Fjord's own: installing the argocd flavor (or into another namespace) next to Fjord's must not
 * re-point Fjord's bindings or swap its rules for another API group.
 */
export function clusterScopedName(flavor: ApiFlavor, role: string): string {
  return flavor.namespace === FJORD.namespace ? `fjord-${role}` : `fjord-${flavor.namespace}-${role}`;
}

function binding(flavor: ApiFlavor, role: string): KubeObject {
  const name = clusterScopedName(flavor, role);
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels: PART_OF },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: `fjord-${role}`, namespace: flavor.namespace }],
  };
}

function clusterRole(name: string, rules: unknown[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: PART_OF }, rules };
}

/**
 * The controller applies whatever Git declares, so it may manage every kind (as Argo CD's
 * application controller does); that is the one broad grant, and AppProjects fence what each
 * Application may actually touch. The server only reads resources and edits Applications.
 */
function roles(flavor: ApiFlavor): KubeObject[] {
  const apps = { apiGroups: [flavor.group], resources: ['applications', 'applications/status', 'appprojects'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] };
  return [
    clusterRole(clusterScopedName(flavor, 'controller'), [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['get'] },
    ]),
    clusterRole(clusterScopedName(flavor, 'server'), [
      apps,
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]),
  ];
}

export function installManifests(flavor: ApiFlavor): KubeObject[] {
  return [
    applicationCrd(flavor),
    appProjectCrd(flavor),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: flavor.namespace, labels: PART_OF } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: flavor.configMapName, namespace: flavor.namespace, labels: PART_OF } },
    ...roles(flavor),
    serviceAccount(flavor, 'fjord-controller'),
    serviceAccount(flavor, 'fjord-server'),
    binding(flavor, 'controller'),
    binding(flavor, 'server'),
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
