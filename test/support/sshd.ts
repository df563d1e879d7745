// A real SSH server on 127.0.0.1 as a Nix remote builder: Debian's OpenSSH
// sshd on a free port with its own sshd_config and host key, a client key
// made here, started by the test (in the foreground, so the test owns its
// pid) and killed after.
//
// The "remote machine" is this machine with a store of its own: every login
// runs `nix-daemon --stdio` (what ssh-ng:// asks for) in a private mount
// namespace where /nix is a fresh directory. Sharing our /nix/store would
// deadlock: the local Nix holds the lock on a step's output path while the
// remote side waits for the same lock to build it. With its own store the
// builder behaves as a real one does: Nix copies the step's inputs to it,
// it builds, Nix copies the output back.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { hostSandboxPaths } from '../../src/nix/tools.js';
import { tempDir } from './workspace.js';

const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  /** The client's private key (the builders-ssh-key input). */
  clientKey: string;
  /** known_hosts holding the server's host key for [127.0.0.1]:port. */
  knownHosts: string;
  /** The builder's own /nix (its store is `<remoteNix>/store`). */
  remoteNix: string;
  /** What sshd logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** As root, or through sudo where CI runs the tests as a user (setup-machine.sh does the same). */
function privileged(argv: string[]): string[] {
  return process.getuid?.() === 0 ? argv : ['sudo', '-n', ...argv];
}

function ok(argv: string[]): string {
  const [cmd, ...args] = privileged(argv);
  const r = spawnSync(cmd!, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD);
}

export async function startSshd(): Promise<Sshd> {
  if (!sshdAvailable())
    throw new Error(`${SSHD} is missing: install openssh-server (scripts/setup-machine.sh)`);
  const dir = tempDir('rbn-sshd-');
  const keygen = (file: string): void => {
    const r = spawnSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'rbn-test',
      '-f',
      file,
    ]);
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  };
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), {
    mode: 0o600,
  });
  const remoteNix = join(dir, 'remote-nix');
  mkdirSync(remoteNix);
  // Only what ssh-ng asks for runs; nothing reaches a substituter (offline).
  // No build users: this store's daemon keeps its own pool of them, and Nix
  // kills every process of a build user before it builds as that user, so
  // it would kill the builds of this machine's own Nix (and of any other
  // test) that run as the same nixbld user. Builds run as root instead,
  // sandboxed, with the host tools an offline flake's steps run bound in:
  // a builder's own nix.conf, as its admin sets it (the runner's does not travel).
  const remote = join(dir, 'remote-nix-daemon.sh');
  writeFileSync(
    remote,
    `#!/bin/sh
case "$SSH_ORIGINAL_COMMAND" in
  "nix-daemon --stdio"*) ;;
  *) echo "this builder runs nix-daemon --stdio only, not: $SSH_ORIGINAL_COMMAND" >&2; exit 1 ;;
esac
NIX_CONFIG='substituters =
sandbox = true
extra-sandbox-paths = ${hostSandboxPaths(null).join(' ')}
build-users-group =' exec unshare -m sh -c 'mount --bind "$0" /nix && exec nix-daemon --stdio' '${remoteNix}'
`,
    { mode: 0o755 },
  );
  const config = join(dir, 'sshd_config');
  const writeConfig = (port: number): void =>
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'AuthenticationMethods publickey',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        'LogLevel VERBOSE',
        'SetEnv PATH=/usr/sbin:/usr/bin:/sbin:/bin',
        `ForceCommand ${remote}`,
        '',
      ].join('\n'),
    );
  // sshd's privilege separation directory (made by the service, which never ran here).
  if (!existsSync('/run/sshd')) ok(['mkdir', '-p', '-m', '0755', '/run/sshd']);
  // The builder's store, made before the first build asks for it from several connections.
  ok([
    'unshare',
    '-m',
    'sh',
    '-c',
    'mount --bind "$0" /nix && NIX_CONFIG="build-users-group =" nix-store --init',
    remoteNix,
  ]);
  // A free port can be taken by another test's server before sshd binds it:
  // sshd then exits, and the port answers for someone else. Our sshd says
  // it listens; otherwise try another port.
  let port = 0;
  let child: ChildProcess | null = null;
  let log = '';
  for (let attempt = 0; child === null; attempt++) {
    port = await freePort();
    writeConfig(port);
    const [cmd, ...args] = privileged([SSHD, '-D', '-e', '-f', config]);
    const c: ChildProcess = spawn(cmd!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    log = '';
    c.stderr!.on('data', (b: Buffer) => {
      log += b.toString('utf8');
    });
    const listening = `Server listening on 127.0.0.1 port ${port}.`;
    for (let i = 0; !log.includes(listening) && c.exitCode === null && i < 200; i++)
      await new Promise((r) => setTimeout(r, 25));
    if (log.includes(listening) && c.exitCode === null && (await accepts(port))) child = c;
    else {
      if (c.exitCode === null)
        process.getuid?.() === 0 ? c.kill('SIGTERM') : ok(['kill', '-TERM', String(c.pid)]);
      if (attempt >= 4) throw new Error(`sshd did not start:\n${log}`);
    }
  }
  const sshd = child;
  const exited = new Promise<void>((resolve) => {
    if (sshd.exitCode !== null || sshd.signalCode !== null) resolve();
    else sshd.once('exit', () => resolve());
  });
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim();
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  return {
    port,
    clientKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    knownHosts,
    remoteNix,
    log: () => log,
    stop: async () => {
      if (sshd.exitCode === null && sshd.signalCode === null) {
        if (process.getuid?.() === 0) sshd.kill('SIGTERM');
        else ok(['kill', '-TERM', String(sshd.pid)]);
        await exited;
      }
      // The builder's store is root's and read-only in places.
      ok(['rm', '-rf', remoteNix]);
    },
  };
}
