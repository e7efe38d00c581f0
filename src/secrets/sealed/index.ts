// Bitnami-compatible Sealed Secrets: the hybrid RSA-OAEP + AES-GCM value format and SealedSecret objects.
export { ANNOTATION_PREFIX, CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION, UnsealError, encryptionLabel, scopeOf, seal, unseal } from './crypto.js';
export type { SealingScope } from './crypto.js';
export { sealSecret, unsealSecret } from './sealed-secret.js';
export type { ObjectMetaLike, SealedSecretObject, SecretInput, UnsealedSecret } from './sealed-secret.js';
