// A real Git server over SSH for tests and the demo: Debian's sshd on a loopback address with key
// authentication, serving the same bare repositories as the HTTP server. It listens on port 22 of a
// random 127.x.y.z address where it can, so scp-style `git@127.x.y.z:org/repo.git` URLs work;
// otherwise on a free port, with `ssh://git@127.0.0.1:PORT/org/repo.git` URLs.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../../exec/exec.js';
import { freePort, waitFor } from '../net.js';

export const SSH_USER = 'git';
const SSHD = '/usr/sbin/sshd';

export interface SshKeyPair {
  readonly privateKeyPath: string;
  readonly publicKey: string;
}

export async function generateSshKey(dir: string, name: string, type: 'ed25519' | 'rsa' = 'ed25519'): Promise<SshKeyPair> {
  const path = join(dir, name);
  await exec('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
  return { privateKeyPath: path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
}

function sshdConfig(dir: string, root: string, listen: string, port: number): string {
  return [
    `ListenAddress ${listen}:${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no', 'UsePAM no', 'PubkeyAuthentication yes', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PermitRootLogin no', `AllowUsers ${SSH_USER}`,
    'AllowTcpForwarding no', 'X11Forwarding no', 'PermitTTY no', 'PrintMotd no', 'LogLevel ERROR',
    // The repositories belong to whoever created them; the `git` account may still serve them.
    `ForceCommand cd ${root} && GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*' exec git-shell -c "$SSH_ORIGINAL_COMMAND"`,
    '',
  ].join('\n');
}

export interface SshServerOptions {
  readonly root: string;
  readonly authorizedKeys: readonly string[];
}

export class GitSshServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly host: string,
    readonly port: number,
    readonly hostPublicKey: string,
  ) {}

  static async start(opts: SshServerOptions): Promise<GitSshServer> {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install Debian's openssh-server (npm run bootstrap does)`);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const dir = mkdtempSync(join(tmpdir(), 'fjord-sshd-'));
    chmodSync(dir, 0o755); // sshd reads authorized_keys as the `git` user
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), `${opts.authorizedKeys.join('\n')}\n`, { mode: 0o644 });
    const hostPublicKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    for (let attempt = 0; attempt < 5; attempt++) {
      const host = attempt < 4 ? `127.${1 + rand(250)}.${rand(255)}.${1 + rand(253)}` : '127.0.0.1';
      const port = attempt < 4 ? 22 : await freePort();
      const server = await GitSshServer.tryListen(dir, opts.root, host, port, hostPublicKey);
      if (server) return server;
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error('sshd could not listen on any loopback address');
  }

  private static async tryListen(dir: string, root: string, host: string, port: number, hostKey: string): Promise<GitSshServer | undefined> {
    const config = join(dir, 'sshd_config');
    writeFileSync(config, sshdConfig(dir, root, host, port));
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
    try {
      await waitFor(`sshd on ${host}:${port}`, async () => {
        const r = await exec('ssh-keyscan', ['-T', '1', '-p', String(port), '-t', 'ed25519', host]).catch(() => undefined);
        return r?.stdout.includes('ssh-ed25519') ? true : undefined;
      }, { timeoutMs: 5000, intervalMs: 50, abortIf: () => (child.exitCode !== null ? `sshd exited: ${stderr}` : undefined) });
      return new GitSshServer(child, dir, host, port, hostKey);
    } catch {
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(2000)]);
      return undefined;
    }
  }

  /** `git@host:org/repo.git` on port 22, else `ssh://git@host:port/org/repo.git`. */
  url(repoPath: string): string {
    return this.port === 22 ? `${SSH_USER}@${this.host}:${repoPath}` : `ssh://${SSH_USER}@${this.host}:${this.port}/${repoPath}`;
  }

  /** The known_hosts line a client needs to trust this server. */
  knownHostsLine(): string {
    return `${this.port === 22 ? this.host : `[${this.host}]:${this.port}`} ${this.hostPublicKey}`;
  }

  /** GIT_SSH_COMMAND for a client with this key and a known_hosts file holding this server. */
  sshCommand(privateKeyPath: string, knownHostsPath: string): string {
    return `ssh -i ${privateKeyPath} -o IdentitiesOnly=yes -o UserKnownHostsFile=${knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  }

  async stop(): Promise<void> {
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => { resolve(); }));
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await Promise.race([gone, sleep(3000)]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function rand(n: number): number {
  return Math.floor(Math.random() * n);
}
