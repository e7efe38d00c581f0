// The Bitnami SealedSecret CRD (sealedsecrets.bitnami.com, bitnami.com/v1alpha1), as the sealed-secrets
// Helm chart installs it: namespaced, status subresource, encryptedData a map of strings, the template
// and status kept as given. ensureSealedSecretCrd() installs it when absent and waits for Established.
import { waitFor } from '../../dev/net.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';

export const SEALED_SECRET_GROUP = 'bitnami.com';
export const SEALED_SECRET_VERSION = 'v1alpha1';
export const SEALED_SECRET_PLURAL = 'sealedsecrets';
export const SEALED_SECRET_CRD_NAME = `${SEALED_SECRET_PLURAL}.${SEALED_SECRET_GROUP}`;
export const SEALED_SECRET_API_VERSION = `${SEALED_SECRET_GROUP}/${SEALED_SECRET_VERSION}`;

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export function sealedSecretCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: SEALED_SECRET_CRD_NAME },
    spec: {
      group: SEALED_SECRET_GROUP,
      names: { kind: 'SealedSecret', listKind: 'SealedSecretList', plural: SEALED_SECRET_PLURAL, singular: 'sealedsecret' },
      scope: 'Namespaced',
      versions: [{
        name: SEALED_SECRET_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Status', type: 'string', jsonPath: '.status.conditions[0].message' },
          { name: 'Synced', type: 'string', jsonPath: '.status.conditions[0].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'SealedSecret is the K8s representation of a "sealed Secret": a regular k8s Secret that has been sealed (encrypted) using the controller\'s key.',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                properties: {
                  data: { type: 'string', format: 'byte' },
                  encryptedData: { type: 'object', additionalProperties: { type: 'string' } },
                  template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      }],
    },
  };
}

interface CrdStatus { status?: { conditions?: { type: string; status: string }[] } }

function established(crd: CrdStatus | undefined): boolean {
  return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

/**
 * Installs the SealedSecret CRD by server-side apply when the cluster lacks it (an existing one, e.g.
 * from the Bitnami chart, is left as it is) and waits until the API server serves it.
 */
export async function ensureSealedSecretCrd(kube: KubeClient, fieldManager: string, timeoutMs = 60_000): Promise<void> {
  const path = `${CRD_PATH}/${SEALED_SECRET_CRD_NAME}`;
  const existing = await kube.getOrUndefined<CrdStatus>(path);
  if (established(existing)) return;
  if (!existing) await kube.apply(path, sealedSecretCrd(), { fieldManager, force: false });
  await waitFor(`CRD ${SEALED_SECRET_CRD_NAME} established`, async () => (established(await kube.get<CrdStatus>(path)) ? true : undefined), { timeoutMs, intervalMs: 200 });
}
