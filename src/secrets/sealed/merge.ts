// kubeseal --merge-into: values sealed from a Secret are added to (or replace) those of an existing
// SealedSecret file; its other values, name, namespace and template stay, the new Secret's template
// labels and annotations are added. The file keeps its format (JSON or YAML).
import { parse, stringify } from 'yaml';
import { scopeOf, type SealingScope } from './crypto.js';
import { sealSecret, type SealedSecretObject, type SecretInput } from './sealed-secret.js';

export function parseSealedSecretFile(text: string, file: string): SealedSecretObject {
  let obj: Partial<SealedSecretObject> | null;
  try {
    obj = parse(text) as Partial<SealedSecretObject> | null;
  } catch (e) {
    throw new Error(`${file}: not JSON or YAML: ${(e as Error).message.split('\n')[0] ?? ''}`, { cause: e });
  }
  if (obj?.kind !== 'SealedSecret' || !obj.metadata?.name || typeof obj.spec !== 'object') throw new Error(`${file}: not a SealedSecret with metadata.name and spec`);
  return obj as SealedSecretObject;
}

/**
 * `secret` sealed for the file's SealedSecret (its name and namespace, and its scope unless `scope`
 * or the Secret's annotations say otherwise) and merged into it; returns the new file text.
 */
export function mergeInto(certPem: string, fileText: string, file: string, secret: SecretInput, scope?: SealingScope): string {
  const orig = parseSealedSecretFile(fileText, file);
  const { name, namespace } = orig.metadata;
  const origScope = scopeOf({ ...orig.spec.template?.metadata?.annotations, ...orig.metadata.annotations });
  const secretScope = scopeOf(secret.metadata.annotations);
  const effective = scope ?? (secretScope !== 'strict' ? secretScope : origScope);
  if (effective !== origScope) throw new Error(`${file}: SealedSecret ${namespace ?? ''}/${name} is ${origScope}; values sealed ${effective} would not unseal in it`);
  const update = sealSecret(certPem, { ...secret, metadata: { ...secret.metadata, name, namespace: namespace ?? '' } }, effective);
  const template = orig.spec.template ?? {};
  const tmeta = template.metadata ?? {};
  const utmeta = update.spec.template?.metadata ?? {};
  const merged: SealedSecretObject = {
    ...orig,
    spec: {
      ...orig.spec,
      encryptedData: { ...orig.spec.encryptedData, ...update.spec.encryptedData },
      template: {
        ...template,
        metadata: {
          ...tmeta,
          ...(tmeta.labels || utmeta.labels ? { labels: { ...tmeta.labels, ...utmeta.labels } } : {}),
          ...(tmeta.annotations || utmeta.annotations ? { annotations: { ...tmeta.annotations, ...utmeta.annotations } } : {}),
        },
      },
    },
  };
  return fileText.trimStart().startsWith('{') ? `${JSON.stringify(merged, null, 2)}\n` : stringify(merged);
}
