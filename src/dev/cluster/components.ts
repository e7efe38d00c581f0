// The command lines of the control plane's processes. Everything binds to 127.0.0.1; the API server
// advertises 127.0.0.1 with the endpoint reconciler off, so nothing writes a loopback address into
// the `kubernetes` Endpoints (which the API server would refuse). See docs/dev-cluster.md.
import { join } from 'node:path';
import { LOOPBACK } from '../net.js';
import type { ClusterPorts } from './state.js';

export interface ComponentFiles {
  readonly dir: string;
  readonly caCert: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly saPublicKey: string;
  readonly saPrivateKey: string;
  readonly tokens: string;
  /** Client certificate the API server presents to aggregated API servers (front proxy). */
  readonly proxyClientCert: string;
  readonly proxyClientKey: string;
  readonly kubeconfig: string;
  readonly kwokStages: readonly string[];
}

export function etcdArgs(f: ComponentFiles, p: ClusterPorts): string[] {
  const client = `http://${LOOPBACK}:${p.etcdClient}`;
  const peer = `http://${LOOPBACK}:${p.etcdPeer}`;
  return [
    '--name=fjord', `--data-dir=${join(f.dir, 'etcd')}`,
    `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=fjord=${peer}`,
    '--unsafe-no-fsync=true', '--auto-compaction-mode=periodic', '--auto-compaction-retention=5m',
    '--quota-backend-bytes=4294967296', '--log-level=warn',
  ];
}

export function apiserverArgs(f: ComponentFiles, p: ClusterPorts): string[] {
  return [
    `--etcd-servers=http://${LOOPBACK}:${p.etcdClient}`,
    `--bind-address=${LOOPBACK}`, `--secure-port=${p.apiserver}`,
    `--advertise-address=${LOOPBACK}`, '--endpoint-reconciler-type=none',
    `--cert-dir=${join(f.dir, 'pki')}`,
    `--tls-cert-file=${f.servingCert}`, `--tls-private-key-file=${f.servingKey}`,
    `--client-ca-file=${f.caCert}`, `--token-auth-file=${f.tokens}`,
    `--requestheader-client-ca-file=${f.caCert}`, '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User', '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${f.proxyClientCert}`, `--proxy-client-key-file=${f.proxyClientKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${f.saPublicKey}`, `--service-account-signing-key-file=${f.saPrivateKey}`,
    '--service-cluster-ip-range=10.96.0.0/16', '--authorization-mode=Node,RBAC', '--allow-privileged=true',
    '--profiling=false', '--v=0',
  ];
}

function delegatedAuth(f: ComponentFiles, port: number): string[] {
  return [
    `--kubeconfig=${f.kubeconfig}`, `--authentication-kubeconfig=${f.kubeconfig}`, `--authorization-kubeconfig=${f.kubeconfig}`,
    `--bind-address=${LOOPBACK}`, `--secure-port=${port}`, '--leader-elect=false', '--profiling=false',
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
  ];
}

export function controllerManagerArgs(f: ComponentFiles, p: ClusterPorts): string[] {
  return [
    ...delegatedAuth(f, p.controllerManager),
    `--cert-dir=${join(f.dir, 'pki', 'kcm')}`,
    `--service-account-private-key-file=${f.saPrivateKey}`, `--root-ca-file=${f.caCert}`,
    '--use-service-account-credentials=false', '--kube-api-qps=200', '--kube-api-burst=400',
    '--concurrent-deployment-syncs=10', '--concurrent-replicaset-syncs=10', '--concurrent-gc-syncs=40',
  ];
}

export function schedulerArgs(f: ComponentFiles, p: ClusterPorts): string[] {
  return [...delegatedAuth(f, p.scheduler), `--cert-dir=${join(f.dir, 'pki', 'scheduler')}`];
}

export function kwokArgs(f: ComponentFiles, p: ClusterPorts): string[] {
  return [
    `--kubeconfig=${f.kubeconfig}`, '--manage-all-nodes=true', '--node-lease-duration-seconds=40',
    `--server-address=${LOOPBACK}:${p.kwok}`, '--cidr=10.244.0.1/16', '--node-ip=10.0.0.1',
    ...f.kwokStages.flatMap((s) => ['-c', s]),
  ];
}
