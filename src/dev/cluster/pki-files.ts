// Writes the certificates, keys and token a dev cluster needs into its folder.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '../pki.js';
import { renderKubeconfig } from '../../kube/kubeconfig.js';
import type { ComponentFiles } from './components.js';

const API_SANS_DNS = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const API_SANS_IP = ['127.0.0.1', '10.96.0.1'];

export async function writeClusterFiles(dir: string, name: string, server: string, kwokStages: readonly string[]): Promise<ComponentFiles & { token: string }> {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority(`fjord-dev-${name}-ca`);
  const serving = await issueCertificate(ca, { commonName: 'kube-apiserver', dnsNames: API_SANS_DNS, ips: API_SANS_IP });
  const proxy = await issueCertificate(ca, { commonName: 'front-proxy-client', server: false, client: true });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = randomBytes(24).toString('hex');
  const files = {
    dir,
    caCert: join(pki, 'ca.crt'),
    servingCert: join(pki, 'apiserver.crt'),
    servingKey: join(pki, 'apiserver.key'),
    saPublicKey: join(pki, 'sa.pub'),
    saPrivateKey: join(pki, 'sa.key'),
    tokens: join(pki, 'tokens.csv'),
    proxyClientCert: join(pki, 'front-proxy-client.crt'),
    proxyClientKey: join(pki, 'front-proxy-client.key'),
    kubeconfig: join(dir, 'kubeconfig'),
    kwokStages,
  };
  const secret = { mode: 0o600 };
  writeFileSync(files.caCert, ca.certPem);
  writeFileSync(files.servingCert, serving.certPem);
  writeFileSync(files.servingKey, serving.keyPem, secret);
  writeFileSync(files.proxyClientCert, proxy.certPem);
  writeFileSync(files.proxyClientKey, proxy.keyPem, secret);
  writeFileSync(files.saPublicKey, sa.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(files.saPrivateKey, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), secret);
  writeFileSync(files.tokens, `${token},fjord-dev-admin,fjord-dev-admin,"system:masters"\n`, secret);
  writeFileSync(files.kubeconfig, renderKubeconfig({ name: `fjord-${name}`, server, caPem: ca.certPem, token }), secret);
  return { ...files, token };
}
