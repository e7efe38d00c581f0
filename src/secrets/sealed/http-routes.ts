// The Sealed Secrets controller's HTTP paths, as Bitnami's controller serves them and kubeseal calls
// them (through the API server's service proxy, or directly on `fjord run`'s port):
//   GET  /v1/cert.pem  the current sealing certificate (kubeseal --fetch-cert, --cert URL)
//   POST /v1/verify    200 when the posted SealedSecret decrypts with any key, else 409 (kubeseal --validate)
//   POST /v1/rotate    the posted SealedSecret re-encrypted with the newest key (kubeseal --re-encrypt)
// Responses never carry a value: only the certificate, re-encrypted data, or an error naming the object.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnsealError } from './crypto.js';
import { BadSealedSecretError, checkDecryptable, parseSealedSecret, reencryptSealedSecret } from './reencrypt.js';

/** What the routes need from the controller. */
export interface SealingKeys {
  certificatePem(): string;
  privateKeys(): string[];
}

/** Handles a request and returns true, or returns false when the path is not one of these. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Bitnami's controller limits request bodies too; a SealedSecret is far smaller than this. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadSealedSecretError(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type }).end(body);
}

async function handlePost(path: string, req: IncomingMessage, res: ServerResponse, keys: SealingKeys): Promise<void> {
  try {
    const ss = parseSealedSecret(await readBody(req));
    if (path === '/v1/verify') {
      checkDecryptable(keys.privateKeys(), ss);
      send(res, 200, 'OK\n');
      return;
    }
    const rotated = reencryptSealedSecret(keys.privateKeys(), keys.certificatePem(), ss);
    send(res, 200, `${JSON.stringify(rotated, null, 2)}\n`, 'application/json');
  } catch (e) {
    if (e instanceof UnsealError) { send(res, 409, `${e.message}\n`); return; }
    if (e instanceof BadSealedSecretError) { send(res, 400, `${e.message}\n`); return; }
    send(res, 500, `${path}: ${(e as Error).message}\n`);
  }
}

/** The routes for `fjord run`'s HTTP server (its `routes` hook). */
export function sealedSecretsRoutes(keys: SealingKeys): RouteHandler {
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://fjord.invalid').pathname;
    if (path === '/v1/cert.pem') {
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return true; }
      send(res, 200, keys.certificatePem(), 'application/x-pem-file');
      return true;
    }
    if (path === '/v1/verify' || path === '/v1/rotate') {
      if (req.method !== 'POST') { res.writeHead(405, { allow: 'POST' }).end(); return true; }
      await handlePost(path, req, res, keys);
      return true;
    }
    return false;
  };
}
