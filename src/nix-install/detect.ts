// Finding a Nix that is already there: on PATH, in the profiles the installers create,
// or announced by an installer's receipt.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { run } from '../util/process.js';
import { whichIn } from '../util/which.js';

export interface FoundNix {
  /** the nix binary */
  nix: string;
  /** its directory, to put on PATH */
  bin: string;
  version: string;
  via: 'PATH' | 'profile';
}

export interface DetectOptions {
  env?: NodeJS.ProcessEnv;
  /** directories that may hold bin/nix besides PATH; default: the installers' profiles */
  profileBins?: string[];
  /** files a previous install leaves; default: DeterminateSystems' receipt, the default profile */
  marks?: string[];
}

export class NixInstallError extends Error {
  override name = 'NixInstallError';
}

/** Where the upstream installer (cachix uses it) and DeterminateSystems' put nix. */
export function defaultProfileBins(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? '';
  const state =
    env.NIX_STATE_HOME ?? (env.XDG_STATE_HOME ? path.join(env.XDG_STATE_HOME, 'nix') : null);
  return [
    '/nix/var/nix/profiles/default/bin',
    ...(home ? [path.join(home, '.nix-profile', 'bin')] : []),
    ...(state ? [path.join(state, 'profile', 'bin')] : []),
    // Determinate Nix links its CLI here.
    '/usr/local/bin',
  ];
}

export const DEFAULT_MARKS = ['/nix/receipt.json', '/nix/var/nix/profiles/default'];

/**
 * The first working nix (one that answers --version), or null. A previous install's
 * marks without a working nix is an error: installing over it would fail less clearly.
 */
export async function findNix(opts: DetectOptions = {}): Promise<FoundNix | null> {
  const env = opts.env ?? process.env;
  const onPath = whichIn('nix', env);
  if (onPath) {
    const version = await versionOf(onPath, env);
    if (version) return { nix: onPath, bin: path.dirname(onPath), version, via: 'PATH' };
  }
  for (const bin of opts.profileBins ?? defaultProfileBins(env)) {
    const nix = path.join(bin, 'nix');
    if (!existsSync(nix)) continue;
    const version = await versionOf(nix, env);
    if (version) return { nix, bin, version, via: 'profile' };
  }
  const marks = (opts.marks ?? DEFAULT_MARKS).filter((m) => existsSync(m));
  if (marks.length > 0) {
    throw new NixInstallError(
      `install-nix: a previous Nix install left ${marks.join(' and ')}, but no working nix was found (looked in ${['PATH', ...(opts.profileBins ?? defaultProfileBins(env))].join(', ')}); repair or remove that install (DeterminateSystems: /nix/nix-installer uninstall) before this step`,
    );
  }
  return null;
}

async function versionOf(nix: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const r = await run(nix, ['--version'], { env });
    if (r.code !== 0) return null;
    return /(\d+\.\d+(?:\.\d+)?\S*)/.exec(r.stdout)?.[1] ?? r.stdout.trim();
  } catch {
    return null;
  }
}
