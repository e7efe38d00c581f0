// The --kubeconfig and --context options shared by commands that talk to a cluster.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../kube/client.js';

export interface KubeOptions { kubeconfig?: string; context?: string }

export function kubeconfigPath(o: KubeOptions): string {
  return o.kubeconfig ?? process.env['KUBECONFIG']?.split(':')[0] ?? join(homedir(), '.kube', 'config');
}

export function kubeClient(o: KubeOptions): KubeClient {
  return KubeClient.fromKubeconfig(kubeconfigPath(o), o.context);
}
