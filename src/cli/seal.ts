// `fjord seal`: kubeseal-compatible sealing. Reads a Secret manifest (YAML or JSON) on stdin and
// prints a bitnami.com/v1alpha1 SealedSecret, or with --raw seals one value read from --from-file, or
// with --merge-into adds the sealed values to an existing SealedSecret file. The certificate comes from
// --cert (a file or an http(s) URL, like kubeseal's) or else from the cluster (see fetch-cert.ts);
// --fetch-cert prints it.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parse, stringify } from 'yaml';
import { encryptionLabel, seal, sealSecret, type SealingScope, type SecretInput } from '../secrets/sealed/index.js';
import { fetchCertificate } from '../secrets/sealed/fetch-cert.js';
import { mergeInto } from '../secrets/sealed/merge.js';
import { CONTROLLER_SERVICE } from '../secrets/sealed/service.js';
import type { KubeClient } from '../kube/client.js';
import { kubeClient, type KubeOptions } from './kube-options.js';

interface SealOptions extends KubeOptions {
  cert?: string;
  scope?: SealingScope;
  format: 'json' | 'yaml';
  raw?: boolean;
  name?: string;
  namespace?: string;
  fromFile?: string;
  mergeInto?: string;
  fetchCert?: boolean;
  controllerNamespace: string;
  controllerName: string;
}

async function certFromSource(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`--cert ${source}: HTTP ${res.status}`);
    return res.text();
  }
  try {
    return readFileSync(source, 'utf8');
  } catch (cause) {
    throw new Error(`--cert ${source}: cannot read it`, { cause });
  }
}

async function readCert(o: SealOptions): Promise<string> {
  if (o.cert) return certFromSource(o.cert);
  let kube: KubeClient;
  try {
    kube = kubeClient(o);
  } catch (e) {
    throw new Error(`no --cert given, and the cluster cannot be asked: ${(e as Error).message} (pass --cert FILE|URL, or --kubeconfig)`, { cause: e });
  }
  try {
    return await fetchCertificate({ kube, namespace: o.controllerNamespace, name: o.controllerName });
  } finally {
    await kube.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sealRaw(cert: string, o: SealOptions): string {
  const scope = o.scope ?? 'strict';
  if (!o.fromFile) throw new Error('--raw needs --from-file with the value to seal');
  if (scope !== 'cluster-wide' && !o.namespace) throw new Error(`--raw with scope ${scope} needs --namespace`);
  if (scope === 'strict' && !o.name) throw new Error('--raw with scope strict needs --name');
  return seal(cert, readFileSync(o.fromFile), encryptionLabel(scope, o.namespace ?? '', o.name ?? ''));
}

async function readSecret(o: SealOptions): Promise<SecretInput> {
  let secret: SecretInput;
  try {
    secret = parse(await readStdin()) as SecretInput;
  } catch (cause) {
    throw new Error('stdin: not a YAML or JSON Secret manifest', { cause });
  }
  if ((secret as { kind?: string } | null)?.kind !== 'Secret') throw new Error('stdin: expected a manifest of kind Secret');
  const meta = (secret as Partial<SecretInput>).metadata ?? { name: '', namespace: '' };
  return { ...secret, metadata: { ...meta, ...(o.namespace && !meta.namespace ? { namespace: o.namespace } : {}) } };
}

async function action(o: SealOptions): Promise<void> {
  const cert = await readCert(o);
  if (o.fetchCert) { process.stdout.write(cert.endsWith('\n') ? cert : `${cert}\n`); return; }
  if (o.raw) { process.stdout.write(`${sealRaw(cert, o)}\n`); return; }
  const secret = await readSecret(o);
  if (o.mergeInto) {
    const file = o.mergeInto;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new Error(`--merge-into ${file}: cannot read it`, { cause });
    }
    writeFileSync(file, mergeInto(cert, text, file, secret, o.scope));
    return;
  }
  const sealed = sealSecret(cert, secret, o.scope);
  process.stdout.write(o.format === 'yaml' ? stringify(sealed) : `${JSON.stringify(sealed, null, 2)}\n`);
}

export function sealCommand(): Command {
  return new Command('seal')
    .description('seal a Secret (read on stdin) into a SealedSecret, compatible with kubeseal and Bitnami Sealed Secrets')
    .option('--cert <file|url>', 'the sealing certificate (PEM file or http(s) URL); default: fetched from the cluster')
    .option('--fetch-cert', 'print the sealing certificate and exit')
    .option('--controller-namespace <ns>', 'namespace of Fjord\'s sealed-secrets controller (its keys, Service and certificate ConfigMap)', 'fjord')
    .option('--controller-name <name>', 'name of the controller\'s Service', CONTROLLER_SERVICE)
    .option('--kubeconfig <path>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .addOption(new Option('--scope <scope>', 'strict, namespace-wide or cluster-wide (default: from the Secret\'s annotations, else strict)').choices(['strict', 'namespace-wide', 'cluster-wide']))
    .addOption(new Option('-o, --format <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('--raw', 'seal one value (from --from-file) and print only the encrypted value')
    .option('--name <name>', 'the Secret name (with --raw)')
    .option('-n, --namespace <namespace>', 'the Secret namespace (with --raw, or when the manifest has none)')
    .option('--from-file <path>', 'the value to seal (with --raw)')
    .option('--merge-into <file>', 'add the sealed values to this SealedSecret file (JSON or YAML, kept as it is) instead of printing')
    .action(action);
}
