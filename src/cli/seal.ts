// `fjord seal`: kubeseal-compatible sealing. Reads a Secret manifest (YAML or JSON) on stdin and
// prints a bitnami.com/v1alpha1 SealedSecret, or with --raw seals one value read from --from-file.
// The certificate comes from --cert (a file or an http(s) URL, like kubeseal's).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parse, stringify } from 'yaml';
import { encryptionLabel, seal, sealSecret, type SealingScope, type SecretInput } from '../secrets/sealed/index.js';

interface SealOptions {
  cert?: string;
  scope?: SealingScope;
  format: 'json' | 'yaml';
  raw?: boolean;
  name?: string;
  namespace?: string;
  fromFile?: string;
}

async function readCert(source: string | undefined): Promise<string> {
  if (!source) throw new Error('--cert is required: a PEM file or an http(s) URL of the controller certificate (fetching it from the cluster needs the Sealed Secrets controller, which is not built yet)');
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

export function sealCommand(): Command {
  return new Command('seal')
    .description('seal a Secret (read on stdin) into a SealedSecret, compatible with kubeseal and Bitnami Sealed Secrets')
    .option('--cert <file|url>', 'the sealing certificate (PEM file or http(s) URL)')
    .addOption(new Option('--scope <scope>', 'strict, namespace-wide or cluster-wide (default: from the Secret\'s annotations, else strict)').choices(['strict', 'namespace-wide', 'cluster-wide']))
    .addOption(new Option('-o, --format <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('--raw', 'seal one value (from --from-file) and print only the encrypted value')
    .option('--name <name>', 'the Secret name (with --raw)')
    .option('-n, --namespace <namespace>', 'the Secret namespace (with --raw, or when the manifest has none)')
    .option('--from-file <path>', 'the value to seal (with --raw)')
    .action(async (o: SealOptions) => {
      const cert = await readCert(o.cert);
      if (o.raw) { process.stdout.write(`${sealRaw(cert, o)}\n`); return; }
      const text = await readStdin();
      let secret: SecretInput;
      try {
        secret = parse(text) as SecretInput;
      } catch (cause) {
        throw new Error('stdin: not a YAML or JSON Secret manifest', { cause });
      }
      if ((secret as { kind?: string }).kind !== 'Secret') throw new Error('stdin: expected a manifest of kind Secret');
      if (o.namespace && !secret.metadata.namespace) secret = { ...secret, metadata: { ...secret.metadata, namespace: o.namespace } };
      const sealed = sealSecret(cert, secret, o.scope);
      process.stdout.write(o.format === 'yaml' ? stringify(sealed) : `${JSON.stringify(sealed, null, 2)}\n`);
    });
}
