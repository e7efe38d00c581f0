// Fetching the sealing certificate from the cluster, for `fjord seal` without --cert:
//  1. as kubeseal does, through the API server's service proxy to the Service sealed-secrets-controller
//     (works when Fjord runs in the cluster and has published that Service, see service.ts);
//  2. otherwise from the ConfigMap the controller publishes (key-ring.ts), which needs only read access
//     to one ConfigMap and works wherever the controller runs, including on the host's loopback.
import { KubeApiError, type KubeClient } from '../../kube/client.js';
import { CERT_CONFIGMAP, CERT_CONFIGMAP_KEY } from './key-ring.js';
import { CONTROLLER_SERVICE } from './service.js';

export interface FetchCertOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  /** The controller's Service name (kubeseal --controller-name). */
  readonly name?: string;
}

interface ServiceLike { spec?: { ports?: { name?: string; port?: number }[] } }

function reason(e: unknown): string {
  return e instanceof KubeApiError ? `HTTP ${e.status}` : (e as Error).message.split('\n')[0] ?? String(e);
}

async function viaServiceProxy(kube: KubeClient, namespace: string, name: string): Promise<string> {
  const svc = await kube.get<ServiceLike>(`/api/v1/namespaces/${namespace}/services/${name}`);
  const port = svc.spec?.ports?.[0];
  const portPart = port?.name ?? String(port?.port ?? '');
  const pem = await kube.request<string>('GET', `/api/v1/namespaces/${namespace}/services/http:${name}:${portPart}/proxy/v1/cert.pem`, { headers: { accept: '*/*' }, timeoutMs: 10_000 });
  if (typeof pem !== 'string' || !pem.includes('BEGIN CERTIFICATE')) throw new Error('the answer is not a PEM certificate');
  return pem;
}

async function viaConfigMap(kube: KubeClient, namespace: string): Promise<string> {
  const cm = await kube.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/configmaps/${CERT_CONFIGMAP}`);
  const pem = cm.data?.[CERT_CONFIGMAP_KEY];
  if (!pem?.includes('BEGIN CERTIFICATE')) throw new Error(`it has no ${CERT_CONFIGMAP_KEY}`);
  return pem;
}

/** The current sealing certificate; the error names both places tried and why each failed. */
export async function fetchCertificate(o: FetchCertOptions): Promise<string> {
  const name = o.name ?? CONTROLLER_SERVICE;
  let proxyError: string;
  try {
    return await viaServiceProxy(o.kube, o.namespace, name);
  } catch (e) {
    proxyError = reason(e);
  }
  try {
    return await viaConfigMap(o.kube, o.namespace);
  } catch (e) {
    throw new Error(`cannot fetch the sealing certificate: service ${o.namespace}/${name} proxy: ${proxyError}; ConfigMap ${o.namespace}/${CERT_CONFIGMAP}: ${reason(e)} (is Fjord's sealed-secrets role running with this namespace? else pass --cert)`, { cause: e });
  }
}
