// The Nix command line as every stage calls it: the flags a Nix without
// flakes enabled needs, the current system, `path:` flake references, and
// `nix build --json` of one installable (Nix 2.8 has no --print-out-paths)
// with its failure said in the user's terms.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { run, tail } from '../util/process.js';

export type NixSystem = 'x86_64-linux' | 'aarch64-linux';

/** Flags every Nix call needs when the installed Nix may not enable flakes itself. */
export const NIX_FEATURES = ['--extra-experimental-features', 'nix-command flakes'];

export function currentNixSystem(arch: string = process.arch): NixSystem {
  if (arch === 'x64') return 'x86_64-linux';
  if (arch === 'arm64') return 'aarch64-linux';
  throw new Error(`rust-bootstrap-nix runs on x86_64 and aarch64 Linux, not on ${arch}`);
}

export interface NixCallOptions {
  /** the nix binary; default `nix` on PATH */
  nix?: string;
  /** extra arguments for every call, e.g. --override-input in tests or --option pairs */
  nixArgs?: string[];
  /** environment for Nix (NIX_CONFIG carries the nix-conf input) */
  env?: NodeJS.ProcessEnv;
  /** stops the call (its whole process group) and makes it reject */
  signal?: AbortSignal;
}

/** A path: flake reference. Nix (2.8 at least) takes no spaces, `?` or `#` in one, escaped or not. */
export function pathRef(dir: string): string {
  const abs = path.resolve(dir);
  if (/[\s?#%]/.test(abs)) {
    throw new Error(
      `Nix cannot use ${abs} as a flake: its path has a space, ?, # or %; move it (or the action) to a plainer path`,
    );
  }
  return `path:${abs}`;
}

/** `nix build --json` one installable; returns its `out` path. */
export async function buildOutPath(
  installable: string,
  opts: NixCallOptions & { gcRootDir?: string },
): Promise<string> {
  const link = opts.gcRootDir
    ? ['--out-link', path.join(opts.gcRootDir, 'toolchain')]
    : ['--no-link'];
  if (opts.gcRootDir) mkdirSync(opts.gcRootDir, { recursive: true });
  const args = [
    ...NIX_FEATURES,
    'build',
    '--json',
    ...link,
    '--no-write-lock-file',
    installable,
    ...(opts.nixArgs ?? []),
  ];
  const r = await run(opts.nix ?? 'nix', args, { env: opts.env, signal: opts.signal });
  if (r.code !== 0)
    throw new Error(`nix build ${installable} failed:\n${nixFailureReason(r.stderr)}`);
  return outPathOf(r.stdout);
}

/**
 * What a failed `nix build` of our flakes has to say: our flake's own
 * messages (they name what to change) first; a download that failed (the
 * runner has no network, or GitHub's API limit was hit) as one line that says
 * so; otherwise the tail of the log without Nix's retry chatter.
 */
export function nixFailureReason(stderr: string): string {
  const lines = stderr.split('\n');
  const ours = lines.filter((l) => l.includes('rust-bootstrap-nix:'));
  if (ours.length > 0) return ours.map((l) => l.trim()).join('\n');
  const download = lines.find((l) => /^error: unable to download '([^']+)'/.test(l));
  if (download) {
    return `${download.replace(/^error: /, '')}\nNix could not fetch a flake input or a binary: the runner needs network access to GitHub and cache.nixos.org (offline, use \`toolchain: system\`).`;
  }
  const noise =
    /^(warning: .*retrying in \d+ ms|• (Added|Updated) input|\s{4}'?(github|path|follows))/;
  return tail(lines.filter((l) => !noise.test(l)).join('\n'));
}

/** The `out` path in `nix build --json` output (Nix 2.8 and later print the same shape). */
export function outPathOf(json: string): string {
  const parsed = JSON.parse(json) as { outputs?: Record<string, string> }[];
  const out = parsed[0]?.outputs?.out;
  if (!out) throw new Error(`nix build --json printed no out path: ${json.slice(0, 200)}`);
  return out;
}

/** Those of `paths` the store holds as valid (none when nix-store cannot tell). */
export async function validPaths(
  paths: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  if (paths.length === 0) return [];
  // A build stopped halfway may leave its output on disk, never registered: existence is not enough.
  const r = await run('nix-store', ['--check-validity', '--print-invalid', ...paths], { env });
  if (r.code !== 0) return [];
  const invalid = new Set(r.stdout.split('\n'));
  return paths.filter((p) => !invalid.has(p));
}
