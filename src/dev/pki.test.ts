import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from './pki.js';

test('a serving certificate is signed by the CA and names the loopback address', async () => {
  const ca = await createCertificateAuthority('fjord-test-ca');
  const leaf = await issueCertificate(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost'], ips: ['127.0.0.1'], organizations: ['system:masters'], client: true });
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(leaf.certPem);
  assert.ok(cert.verify(caCert.publicKey), 'leaf must verify against the CA key');
  assert.ok(cert.checkIP('127.0.0.1'));
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkIP('10.1.2.3'), undefined);
  assert.match(cert.subject, /O=system:masters/);
  assert.ok(caCert.ca);
  assert.equal(cert.ca, false);
  assert.equal(createPrivateKey(leaf.keyPem).asymmetricKeyType, 'ec');
});
