// The `sops` map at the top of an encrypted document (stores/stores.go `metadata`), validated once
// here so the rest of the decrypter can trust it.
import { z } from 'zod';
import { DEFAULT_RULE, type EncryptionRule } from './rules.js';

export const KEY_SOURCES = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms'] as const;

export interface AgeStanza {
  readonly recipient: string;
  readonly enc: string;
}

export interface SopsMetadata {
  readonly age: readonly AgeStanza[];
  /** Key sources Fjord cannot use, as `kind (n)`, for error messages. */
  readonly otherKeySources: readonly string[];
  readonly lastmodified: string;
  readonly mac: string;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
}

const ageSchema = z.object({ recipient: z.string(), enc: z.string() });
const groupSchema = z.looseObject({ age: z.array(ageSchema).optional() });
const metadataSchema = z.looseObject({
  age: z.array(ageSchema).optional(),
  key_groups: z.array(groupSchema).optional(),
  shamir_threshold: z.number().optional(),
  lastmodified: z.union([z.string(), z.date()]),
  mac: z.string().min(1),
  unencrypted_suffix: z.string().optional(),
  encrypted_suffix: z.string().optional(),
  unencrypted_regex: z.string().optional(),
  encrypted_regex: z.string().optional(),
  unencrypted_comment_regex: z.string().optional(),
  encrypted_comment_regex: z.string().optional(),
  mac_only_encrypted: z.boolean().optional(),
});
type RawMetadata = z.infer<typeof metadataSchema>;

/** Go RE2 patterns as JS regexps: the common subset is the same; a leading `(?i)` becomes the i flag. */
export function goRegExp(pattern: string): RegExp {
  return pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), 'i') : new RegExp(pattern);
}

function ruleOf(raw: RawMetadata): EncryptionRule {
  if (raw.unencrypted_comment_regex !== undefined || raw.encrypted_comment_regex !== undefined) {
    throw new Error('unencrypted_comment_regex/encrypted_comment_regex are not supported');
  }
  const rules: EncryptionRule[] = [];
  if (raw.unencrypted_suffix !== undefined) rules.push({ kind: 'unencrypted_suffix', suffix: raw.unencrypted_suffix });
  if (raw.encrypted_suffix !== undefined) rules.push({ kind: 'encrypted_suffix', suffix: raw.encrypted_suffix });
  if (raw.unencrypted_regex !== undefined) rules.push({ kind: 'unencrypted_regex', regex: goRegExp(raw.unencrypted_regex) });
  if (raw.encrypted_regex !== undefined) rules.push({ kind: 'encrypted_regex', regex: goRegExp(raw.encrypted_regex) });
  if (rules.length > 1) throw new Error('more than one of unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex is set');
  return rules[0] ?? DEFAULT_RULE;
}

function keyGroup(raw: Record<string, unknown>): Record<string, unknown> {
  const groups = raw['key_groups'];
  if (!Array.isArray(groups) || groups.length === 0) return raw;
  if (groups.length > 1) throw new Error(`${groups.length} key groups (Shamir secret sharing) are not supported`);
  return groups[0] as Record<string, unknown>;
}

function otherSources(group: Record<string, unknown>): string[] {
  return KEY_SOURCES.filter((k) => k !== 'age')
    .map((k) => [k, group[k]] as const)
    .filter(([, v]) => Array.isArray(v) && v.length > 0)
    .map(([k, v]) => `${k} (${(v as unknown[]).length})`);
}

function lastModifiedText(v: string | Date): string {
  return typeof v === 'string' ? v : v.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Validates the `sops` map; throws a plain Error saying what is wrong (the caller adds the file). */
export function parseMetadata(sops: unknown): SopsMetadata {
  const parsed = metadataSchema.safeParse(sops);
  if (!parsed.success) throw new Error(`invalid sops metadata: ${z.prettifyError(parsed.error)}`);
  const raw = parsed.data;
  const group = keyGroup(raw);
  const age = z.array(ageSchema).optional().parse(group['age']) ?? [];
  return {
    age,
    otherKeySources: otherSources(group),
    lastmodified: lastModifiedText(raw.lastmodified),
    mac: raw.mac,
    rule: ruleOf(raw),
    macOnlyEncrypted: raw.mac_only_encrypted ?? false,
  };
}
