// Reads a kubeconfig file into what a client needs to reach one cluster: its URL, the CA to trust and
// the credentials. Supports bearer tokens, token files, client certificates and basic auth.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterAccess {
  readonly server: string;
  readonly caPem?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly token?: string;
  readonly clientCertPem?: string;
  readonly clientKeyPem?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
}

interface Named<T> { name: string; cluster?: T; user?: T; context?: T }
type Rec = Record<string, unknown>;

function str(o: Rec | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function find(list: unknown, name: string, key: 'cluster' | 'user' | 'context', file: string): Rec {
  const items = Array.isArray(list) ? (list as Named<Rec>[]) : [];
  const hit = items.find((i) => i.name === name)?.[key];
  if (!hit) throw new Error(`kubeconfig ${file}: ${key} "${name}" not found`);
  return hit;
}

function dataOrFile(o: Rec, dataKey: string, fileKey: string, base: string): string | undefined {
  const data = str(o, dataKey);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(o, fileKey);
  if (!file) return undefined;
  return readFileSync(isAbsolute(file) ? file : join(base, file), 'utf8');
}

export function parseKubeconfig(text: string, file: string, contextName?: string): ClusterAccess {
  const doc = (parse(text) ?? {}) as Rec;
  const base = dirname(file);
  const ctxName = contextName ?? str(doc, 'current-context');
  if (!ctxName) throw new Error(`kubeconfig ${file}: no current-context and no context given`);
  const ctx = find(doc['contexts'], ctxName, 'context', file);
  const cluster = find(doc['clusters'], str(ctx, 'cluster') ?? '', 'cluster', file);
  const user = str(ctx, 'user') ? find(doc['users'], str(ctx, 'user') ?? '', 'user', file) : {};
  const server = str(cluster, 'server');
  if (!server) throw new Error(`kubeconfig ${file}: cluster of context "${ctxName}" has no server`);
  const tokenFile = str(user, 'tokenFile');
  const token = str(user, 'token') ?? (tokenFile ? readFileSync(isAbsolute(tokenFile) ? tokenFile : join(base, tokenFile), 'utf8').trim() : undefined);
  const username = str(user, 'username');
  const password = str(user, 'password');
  const caPem = dataOrFile(cluster, 'certificate-authority-data', 'certificate-authority', base);
  const clientCertPem = dataOrFile(user, 'client-certificate-data', 'client-certificate', base);
  const clientKeyPem = dataOrFile(user, 'client-key-data', 'client-key', base);
  return {
    server: server.replace(/\/+$/, ''),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    ...(caPem ? { caPem } : {}),
    ...(token ? { token } : {}),
    ...(clientCertPem ? { clientCertPem } : {}),
    ...(clientKeyPem ? { clientKeyPem } : {}),
    ...(username && password ? { basicAuth: { username, password } } : {}),
  };
}

export function loadKubeconfig(file: string, contextName?: string): ClusterAccess {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`kubeconfig ${file}: cannot read it`, { cause });
  }
  return parseKubeconfig(text, file, contextName);
}

/** Renders a kubeconfig with one cluster, one user and one context. */
export function renderKubeconfig(opts: { name: string; server: string; caPem: string; token: string }): string {
  const b64 = Buffer.from(opts.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${opts.name}`,
    '  cluster:',
    `    server: ${opts.server}`,
    `    certificate-authority-data: ${b64}`,
    'users:',
    `- name: ${opts.name}-admin`,
    '  user:',
    `    token: ${opts.token}`,
    'contexts:',
    `- name: ${opts.name}`,
    '  context:',
    `    cluster: ${opts.name}`,
    `    user: ${opts.name}-admin`,
    `current-context: ${opts.name}`,
    '',
  ].join('\n');
}
