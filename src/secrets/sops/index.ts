// SOPS decryption with age identities; see decrypt.ts.
export { SopsError } from './errors.js';
export type { SopsIdentities } from './data-key.js';
export { decryptSopsDocument, decryptSopsDocuments, isSopsEncrypted, type SopsDecryptOptions } from './decrypt.js';
