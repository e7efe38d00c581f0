// A Git server fixture for tests: one folder of bare repositories served over plain HTTP, HTTP with
// basic auth, HTTPS (with its own CA) and SSH (key auth), all on loopback, stopped when the test ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../dev/pki.js';
import { GitHttpServer, type BasicAuth } from '../dev/git/http-server.js';
import { GitSshServer, generateSshKey, type SshKeyPair } from '../dev/git/ssh-server.js';
import { createBareRepo, WorkingCopy } from '../dev/git/repos.js';
import { defer } from './cleanup.js';

export interface GitFixture {
  readonly root: string;
  readonly http: GitHttpServer;
  readonly httpAuth: GitHttpServer;
  readonly https: GitHttpServer;
  readonly auth: BasicAuth;
  /** PEM file of the CA that signed the HTTPS server's certificate. */
  readonly caFile: string;
  readonly ssh: GitSshServer;
  readonly sshKey: SshKeyPair;
  readonly knownHostsFile: string;
  /** Environment for git commands that reach every server above (CA, ssh key, known hosts). */
  readonly clientEnv: NodeJS.ProcessEnv;
  createRepo(repoPath: string): Promise<string>;
}

export async function startGitFixture(t: TestContext): Promise<GitFixture> {
  const root = mkdtempSync(join(tmpdir(), 'fjord-git-'));
  const keys = mkdtempSync(join(tmpdir(), 'fjord-git-keys-'));
  const ca = await createCertificateAuthority('fjord-test-git-ca');
  const tls = await issueCertificate(ca, { commonName: 'git', dnsNames: ['localhost'], ips: ['127.0.0.1'] });
  const caFile = join(keys, 'ca.crt');
  writeFileSync(caFile, ca.certPem);
  const auth = { username: 'fjord', password: `pw-${Math.random().toString(36).slice(2)}` };
  const sshKey = await generateSshKey(keys, 'client_ed25519');
  const [http, httpAuth, https, ssh] = await Promise.all([
    GitHttpServer.start({ root }),
    GitHttpServer.start({ root, auth }),
    GitHttpServer.start({ root, auth, tls }),
    GitSshServer.start({ root, authorizedKeys: [sshKey.publicKey] }),
  ]);
  const knownHostsFile = join(keys, 'known_hosts');
  writeFileSync(knownHostsFile, `${ssh.knownHostsLine()}\n`);
  defer(t, async () => {
    await Promise.all([http.stop(), httpAuth.stop(), https.stop(), ssh.stop()]);
    rmSync(root, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });
  return {
    root, http, httpAuth, https, auth, caFile, ssh, sshKey, knownHostsFile,
    clientEnv: { GIT_SSL_CAINFO: caFile, GIT_SSH_COMMAND: ssh.sshCommand(sshKey.privateKeyPath, knownHostsFile) },
    createRepo: (repoPath) => createBareRepo(root, repoPath),
  };
}

/** `http://user:pass@host/...`: basic-auth credentials in the URL, for test clients only. */
export function withCredentials(url: string, auth: BasicAuth): string {
  const u = new URL(url);
  u.username = auth.username;
  u.password = auth.password;
  return u.toString();
}

/** A Git server with one repository (`org/name.git`) and a working copy of it over plain HTTP, all removed when the test ends. */
export async function startGitRepo(t: TestContext, repoPath: string): Promise<{ git: GitFixture; repoURL: string; repo: WorkingCopy }> {
  const git = await startGitFixture(t);
  await git.createRepo(repoPath);
  const repoURL = git.http.url(repoPath);
  const repo = await WorkingCopy.clone(repoURL);
  defer(t, () => { repo.remove(); });
  return { git, repoURL, repo };
}
