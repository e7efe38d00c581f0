// What the benchmark deploys: N apps × M resources in one configuration repository (one directory per
// app, plain YAML), and a separate "latency" repository with one app of 20 resources that scenarios 1
// and 2 change. Both tools and the kubectl floor get exactly the same files.
import { deploymentYaml } from '../../src/testing/manifests.js';

export const APPS_NS = 'bench';
export const LATENCY_NS = 'latency';
export const LATENCY_OBJECTS = 10; // ConfigMaps and as many Deployments = 20 resources
export const LATENCY_REPLICAS = 1;

export const appName = (i: number): string => `a${String(i).padStart(4, '0')}`;
export const appPath = (i: number): string => `apps/${appName(i)}`;
export const latencyCm = (i: number): string => `lat-cm-${String(i % LATENCY_OBJECTS).padStart(2, '0')}`;
export const latencyDep = (i: number): string => `lat-web-${String(i % LATENCY_OBJECTS).padStart(2, '0')}`;

export const configMapYaml = (name: string, value: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    bench.fjord.dev/app: "${name.split('-')[0] ?? ''}"\ndata:\n  value: "${value}"\n`;

const serviceAccountYaml = (name: string): string => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n`;

/**
 * The M resources of app i: a Deployment scaled to 0 and a ServiceAccount (as in Flux's own
 * benchmark), the rest ConfigMaps. Returns path → content.
 */
export function appFiles(i: number, m: number): Record<string, string> {
  const name = appName(i);
  const files: Record<string, string> = {};
  let left = m;
  if (left >= 3) {
    files[`${appPath(i)}/deployment.yaml`] = deploymentYaml(`${name}-web`, 0);
    files[`${appPath(i)}/serviceaccount.yaml`] = serviceAccountYaml(`${name}-sa`);
    left -= 2;
  }
  for (let k = 0; k < left; k++) {
    const cm = `${name}-cm-${String(k).padStart(2, '0')}`;
    files[`${appPath(i)}/${cm}.yaml`] = configMapYaml(cm, `v${k}`);
  }
  return files;
}

export function allAppFiles(n: number, m: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) Object.assign(files, appFiles(i, m));
  return files;
}

export function latencyFiles(values: ReadonlyMap<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < LATENCY_OBJECTS; i++) {
    files[`latency/${latencyCm(i)}.yaml`] = configMapYaml(latencyCm(i), values.get(latencyCm(i)) ?? 'initial');
    files[`latency/${latencyDep(i)}.yaml`] = deploymentYaml(latencyDep(i), LATENCY_REPLICAS);
  }
  return files;
}
