// Where kubeseal looks for the controller: `kubeseal --fetch-cert`, `--validate` and `--re-encrypt` go
// through the API server's service proxy to the Service `sealed-secrets-controller` in the controller
// namespace (`/api/v1/namespaces/NS/services/http:sealed-secrets-controller:http/proxy/v1/...`). When
// Fjord runs in a Pod (POD_IP set, from the downward API), it publishes that Service without a selector
// and an Endpoints object naming its own Pod IP and HTTP port. The API server's proxy resolves a
// Service through its Endpoints, and Endpoints (like EndpointSlices) refuse loopback addresses, so this
// cannot point at a Fjord running on the host's 127.0.0.1 (see docs/adr/0009-secrets.md).
import type { KubeClient, KubeObject } from '../../kube/client.js';

export const CONTROLLER_SERVICE = 'sealed-secrets-controller';
/** The Service port's name; kubeseal reads it from the Service and puts it in the proxy path. */
export const SERVICE_PORT_NAME = 'http';
const LABELS = { 'app.kubernetes.io/name': 'sealed-secrets', 'app.kubernetes.io/managed-by': 'fjord' };

export interface ControllerServiceOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  /** The Pod's IP (not loopback: the API server refuses such an endpoint). */
  readonly podIp: string;
  /** The port Fjord's HTTP server listens on in the Pod. */
  readonly port: number;
  readonly fieldManager: string;
}

/** Applies the selector-less Service and its Endpoints (server-side apply, idempotent). */
export async function publishControllerService(o: ControllerServiceOptions): Promise<void> {
  const base = `/api/v1/namespaces/${o.namespace}`;
  const service: KubeObject = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: CONTROLLER_SERVICE, namespace: o.namespace, labels: LABELS },
    spec: { type: 'ClusterIP', ports: [{ name: SERVICE_PORT_NAME, port: 8080, targetPort: o.port, protocol: 'TCP' }] },
  };
  const endpoints: KubeObject = {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: CONTROLLER_SERVICE, namespace: o.namespace, labels: LABELS },
    subsets: [{ addresses: [{ ip: o.podIp }], ports: [{ name: SERVICE_PORT_NAME, port: o.port, protocol: 'TCP' }] }],
  };
  await o.kube.apply(`${base}/services/${CONTROLLER_SERVICE}`, service, { fieldManager: o.fieldManager, force: true });
  await o.kube.apply(`${base}/endpoints/${CONTROLLER_SERVICE}`, endpoints, { fieldManager: o.fieldManager, force: true });
}
