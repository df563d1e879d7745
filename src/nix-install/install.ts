// Installing Nix the way cachix/install-nix-action does on GitHub-hosted Ubuntu runners
// (x86_64 and arm64): the upstream installer script from releases.nixos.org, multi-user
// with the daemon where systemd runs, our nix.conf passed with --nix-extra-conf-file.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, userInfo } from 'node:os';
import path from 'node:path';
import { HttpClient } from '@actions/http-client';
import { downloadTool } from '@actions/tool-cache';
import type { JobEnvironment } from '../host/ports.js';
import type { Log } from '../log.js';
import { run, tail } from '../util/process.js';
import { runStreaming } from '../util/run-streaming.js';
import { runnerDirs } from '../util/runner-temp.js';
import { nixConfText } from './conf.js';
import { NixInstallError } from './detect.js';

/** The Nix release cachix/install-nix-action installs as of 2026-07. */
export const NIX_VERSION = '2.35.1';
export const installerUrl = (version = NIX_VERSION) =>
  `https://releases.nixos.org/nix/nix-${version}/install`;

export interface InstallOptions {
  githubToken: string;
  serverUrl?: string;
  nixConf: string;
  log: Log;
  env?: NodeJS.ProcessEnv;
  /** Later steps get the installed Nix's PATH and variables through it. */
  job: JobEnvironment;
  url?: string;
  /** per attempt of the reachability check; default 10 s */
  timeoutMs?: number;
  /** reachability attempts before giving up; default 2 */
  attempts?: number;
  /** where the installer and its nix.conf go; default RUNNER_TEMP */
  tempDir?: string;
  /** Stops the installer (its process group) and rejects with the reason. */
  signal?: AbortSignal;
}

export interface InstalledNix {
  nix: string;
  bin: string;
  version: string;
}

/**
 * Installs Nix and exports PATH and the environment for later steps. Without network
 * it fails within about attempts × timeoutMs with one error naming the URL.
 */
export async function installNix(o: InstallOptions): Promise<InstalledNix> {
  if (o.githubToken) o.log.mask(o.githubToken);
  const env = o.env ?? process.env;
  const url = o.url ?? installerUrl();
  await checkReachable(url, o.timeoutMs ?? 10_000, o.attempts ?? 2);

  const dir = await mkdtemp(
    o.tempDir ? path.join(o.tempDir, 'rbn-nix-install-') : runnerDirs.nixInstallPrefix(env),
  );
  try {
    // tool-cache retries transient failures (5xx, resets) now that the host answers.
    const script = await downloadTool(url, path.join(dir, 'install'));
    const daemon = existsSync('/run/systemd/system');
    const conf = path.join(dir, 'nix.conf');
    // The token lives in this file (0600, deleted below) and then only in /etc/nix/nix.conf.
    await writeFile(
      conf,
      nixConfText({
        user: userInfo().username,
        githubToken: o.githubToken,
        serverUrl: o.serverUrl ?? env.GITHUB_SERVER_URL,
        extra: o.nixConf,
        singleUser: !daemon,
      }),
      { mode: 0o600 },
    );
    const args = [script, '--no-channel-add'];
    if (daemon) {
      // The multi-user installer appends this file to /etc/nix/nix.conf; two build users
      // per core, as cachix does.
      args.push('--daemon', '--nix-extra-conf-file', conf);
      args.push('--daemon-user-count', String(availableParallelism() * 2));
    } else {
      // The single-user installer reads no extra conf: place /etc/nix/nix.conf first.
      args.push('--no-daemon');
      await placeNixConf(conf, env);
    }
    o.log.info(`Installing Nix ${NIX_VERSION} (${daemon ? 'multi-user' : 'single-user'})`);
    await chmod(script, 0o755);
    // Through util/ as every other program: its output in the log, stopped on cancel.
    const r = await runStreaming(['sh', ...args], {
      cwd: process.cwd(),
      env,
      onOutput: (chunk, stream) =>
        (stream === 'stdout' ? process.stdout : process.stderr).write(chunk),
      notFound: (p) => `install-nix: '${p}' was not found to run the Nix installer with`,
      signal: o.signal,
    });
    if (r.exitCode !== 0) {
      throw new NixInstallError(
        `install-nix: the Nix installer failed (exit ${r.signal ?? r.exitCode}):\n${tail(r.tail)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return exportEnvironment(env, o.job);
}

/** Fails fast, with one message, when the installer's host cannot be reached. */
export async function checkReachable(url: string, timeoutMs: number, attempts: number) {
  const client = new HttpClient('rust-bootstrap-nix', [], {
    socketTimeout: timeoutMs,
    allowRetries: false,
  });
  let last = '';
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await withDeadline(client.head(url), timeoutMs);
      res.message.resume();
      const status = res.message.statusCode ?? 0;
      if (status >= 200 && status < 400) return;
      last = `HTTP ${status}`;
      if (status < 500 && status !== 408 && status !== 429) break; // not transient
    } catch (e) {
      last = (e as Error).message;
    }
    if (i + 1 < attempts) await sleep(2000);
  }
  client.dispose();
  throw new NixInstallError(
    `install-nix: cannot download the Nix installer from ${url} (${last}); this runner seems to have no network access. Install Nix before this step (install-nix: auto then uses it) or set install-nix: false where Nix is present`,
  );
}

/** PATH and variables the installer's shell profile would set, for later steps. */
function exportEnvironment(env: NodeJS.ProcessEnv, job: JobEnvironment): Promise<InstalledNix> {
  const home = env.HOME ?? userInfo().homedir;
  const userProfile = path.join(home, '.nix-profile');
  job.exportVariable('NIX_PROFILES', `/nix/var/nix/profiles/default ${userProfile}`);
  if (!env.NIX_SSL_CERT_FILE) {
    const cert = [
      '/etc/ssl/certs/ca-certificates.crt',
      '/etc/pki/tls/certs/ca-bundle.crt',
      '/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt',
    ].find((p) => existsSync(p));
    if (cert) job.exportVariable('NIX_SSL_CERT_FILE', cert);
  }
  // cachix/install-nix-action#197: Nix needs a TMPDIR it can write.
  if (!env.TMPDIR && env.RUNNER_TEMP) job.exportVariable('TMPDIR', env.RUNNER_TEMP);
  job.addPath(path.join(userProfile, 'bin'));
  job.addPath('/nix/var/nix/profiles/default/bin');
  const bin = existsSync('/nix/var/nix/profiles/default/bin/nix')
    ? '/nix/var/nix/profiles/default/bin'
    : path.join(userProfile, 'bin');
  return run(path.join(bin, 'nix'), ['--version']).then((r) => ({
    nix: path.join(bin, 'nix'),
    bin,
    version: r.stdout.trim().split(' ').pop() ?? '',
  }));
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function placeNixConf(conf: string, env: NodeJS.ProcessEnv): Promise<void> {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const cmd = [...sudo, 'install', '-D', '-m', '0644', conf, '/etc/nix/nix.conf'];
  const r = await run(cmd[0]!, cmd.slice(1), { env });
  if (r.code !== 0) {
    throw new NixInstallError(`install-nix: cannot write /etc/nix/nix.conf: ${r.stderr.trim()}`);
  }
}
