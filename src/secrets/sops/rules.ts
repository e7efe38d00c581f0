// Which leaves sops encrypted (sops.go Tree.Encrypt/Decrypt): one rule from the metadata is checked
// against every key on the leaf's path; list elements share their parent's path.

export type EncryptionRule =
  | { readonly kind: 'unencrypted_suffix'; readonly suffix: string }
  | { readonly kind: 'encrypted_suffix'; readonly suffix: string }
  | { readonly kind: 'unencrypted_regex'; readonly regex: RegExp }
  | { readonly kind: 'encrypted_regex'; readonly regex: RegExp };

export const DEFAULT_RULE: EncryptionRule = { kind: 'unencrypted_suffix', suffix: '_unencrypted' };

/** True when sops encrypted the leaf at this key path. */
export function isEncryptedPath(rule: EncryptionRule, path: readonly string[]): boolean {
  switch (rule.kind) {
    case 'unencrypted_suffix': return !path.some((k) => k.endsWith(rule.suffix));
    case 'encrypted_suffix': return path.some((k) => k.endsWith(rule.suffix));
    case 'unencrypted_regex': return !path.some((k) => rule.regex.test(k));
    case 'encrypted_regex': return path.some((k) => rule.regex.test(k));
  }
}
