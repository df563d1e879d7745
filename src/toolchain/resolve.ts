// Turns a toolchain spec into real rustc/cargo paths: through the action's nix/ flake
// (rust-overlay) or from PATH (`toolchain: system`).
//
// How the spec reaches the flake: a generated wrapper flake (flake.nix + spec.json, plus
// the rust-toolchain file when there is one) whose one input is the action's nix/ flake as
// a path: input. `nix build --json <wrapper>#packages.<system>.toolchain` then works on
// Nix 2.8 (no --print-out-paths needed: the JSON names the out path), evaluates in pure
// mode, and inherits nix/flake.lock's pins; tests swap nixpkgs and rust-overlay for
// stand-ins with --override-input rust-bootstrap-nix/<input>.
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { nixString } from '../nix/escape.js';
import { run, runChecked, tail } from './process.js';
import { bootstrapCompilerProblem, type FlakeSpec, flakeSpec, type ToolchainSpec } from './spec.js';

export type NixSystem = 'x86_64-linux' | 'aarch64-linux';

export interface ResolvedToolchain {
  /** the toolchain's store path, or `system` */
  toolchain: string;
  rustc: string;
  cargo: string;
  sysroot: string;
  /** rustc's release, e.g. 1.83.0 or 1.92.0-nightly */
  version: string;
  /** rustc's host triple */
  host: string;
  /** `rustc -vV`, verbatim (the cache key hashes it) */
  verbose: string;
}

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

export interface ResolveOptions extends NixCallOptions {
  /** absolute path of the action's nix/ flake */
  nixFlakeDir: string;
  /** where the wrapper flake is written (not the uploaded metadata dir) */
  workDir: string;
  system?: NixSystem;
  /** when set, the toolchain is kept from garbage collection by a root here */
  gcRootDir?: string;
  /** working directory for `toolchain: system` (rustup proxies honour rust-toolchain files) */
  cwd?: string;
}

/** Realises the spec's toolchain and reports where rustc and cargo are. */
export async function resolveToolchain(
  spec: ToolchainSpec,
  opts: ResolveOptions,
): Promise<ResolvedToolchain> {
  if (spec.kind === 'system') return resolveSystemToolchain({ env: opts.env, cwd: opts.cwd });
  const system = opts.system ?? currentNixSystem();
  const ref = writeToolchainFlake(opts.workDir, spec, { nixFlakeDir: opts.nixFlakeDir, system });
  const installable = `${ref}#packages.${system}.toolchain`;
  const out = await buildOutPath(installable, opts);
  const resolved = await describeToolchain(
    out,
    { rustc: `${out}/bin/rustc`, cargo: `${out}/bin/cargo`, sysroot: out },
    opts.env,
  );
  if (spec.stage0) {
    // beta/nightly stage0 compilers carry no version until fetched: check it now.
    const problem = bootstrapCompilerProblem(spec.stage0.sourceVersion, resolved.version);
    if (problem) {
      throw new Error(
        `the stage0 compiler (${spec.channel}) is rustc ${resolved.version}, but src/version is ${spec.stage0.sourceVersion}: ${problem}`,
      );
    }
  }
  return resolved;
}

/**
 * Writes the wrapper flake that selects `spec` from the nix/ flake and returns its flake
 * reference (path:<dir>).
 */
export function writeToolchainFlake(
  dir: string,
  spec: Extract<ToolchainSpec, { kind: 'nix' }>,
  opts: { nixFlakeDir: string; system: NixSystem },
): string {
  mkdirSync(dir, { recursive: true });
  let fileName: string | undefined;
  if (spec.origin === 'file' && spec.file) {
    fileName = path.basename(spec.file);
    copyFileSync(spec.file, path.join(dir, fileName));
  }
  const json: FlakeSpec = flakeSpec(spec, fileName);
  writeFileSync(path.join(dir, 'spec.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(dir, 'flake.nix'), wrapperFlake(opts.nixFlakeDir, opts.system));
  return pathRef(dir);
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

function wrapperFlake(nixFlakeDir: string, system: NixSystem): string {
  return `# Generated by rust-bootstrap-nix: selects the toolchain spec.json names.
{
  inputs.rust-bootstrap-nix.url = ${nixString(pathRef(nixFlakeDir))};
  outputs =
    { self, rust-bootstrap-nix }:
    let
      raw = builtins.fromJSON (builtins.readFile ./spec.json);
      spec =
        raw
        // (if raw ? toolchainFile then { toolchainFile = ./. + "/\${raw.toolchainFile}"; } else { });
    in
    {
      packages.${system}.toolchain = rust-bootstrap-nix.lib.toolchainFor {
        system = "${system}";
        inherit spec;
      };
    };
}
`;
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

/** rustc and cargo on PATH, resolved past rustup's proxies to the real binaries. */
export async function resolveSystemToolchain(
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ResolvedToolchain> {
  const env = opts.env ?? process.env;
  const onPath = whichIn('rustc', env);
  if (!onPath) {
    throw new Error('toolchain: system, but there is no rustc on PATH');
  }
  const sysroot = (
    await runChecked(onPath, ['--print', 'sysroot'], { env, cwd: opts.cwd })
  ).stdout.trim();
  const inSysroot = (name: string) => {
    const p = path.join(sysroot, 'bin', name);
    return existsSync(p) ? p : null;
  };
  const rustc = inSysroot('rustc') ?? realpathSync(onPath);
  let cargo = inSysroot('cargo');
  if (!cargo) {
    const c = whichIn('cargo', env);
    if (!c)
      throw new Error(`toolchain: system, but there is no cargo in ${sysroot}/bin or on PATH`);
    cargo = realpathSync(c);
    if (path.basename(cargo).startsWith('rustup')) {
      // A rustup proxy with cargo outside the sysroot: ask rustup where it is.
      cargo = (
        await runChecked('rustup', ['which', 'cargo'], { env, cwd: opts.cwd })
      ).stdout.trim();
    }
  }
  return describeToolchain('system', { rustc, cargo, sysroot }, env);
}

/** The rest of a toolchain whose binaries and sysroot are known: one `rustc -vV`. */
async function describeToolchain(
  toolchain: string,
  paths: { rustc: string; cargo: string; sysroot: string },
  env?: NodeJS.ProcessEnv,
): Promise<ResolvedToolchain> {
  for (const p of [paths.rustc, paths.cargo]) {
    if (!existsSync(p)) throw new Error(`the toolchain ${toolchain} has no ${p}`);
  }
  const verbose = (await runChecked(paths.rustc, ['-vV'], { env })).stdout;
  const field = (k: string) => new RegExp(`^${k}: (.+)$`, 'm').exec(verbose)?.[1]?.trim() ?? '';
  return { toolchain, ...paths, version: field('release'), host: field('host'), verbose };
}

/** The first executable `tool` on env.PATH (not process.env's, so callers can pass their own). */
export function whichIn(tool: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, tool);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

export function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface StoreSysroot {
  storePath: string;
  rustc: string;
  cargo: string;
}

/**
 * Copies a toolchain's bin/ and lib/ (not share/, etc/, libexec/: docs and man pages are
 * most of a rustup toolchain and no build reads them) into the Nix store, so Nix build
 * users, who cannot read /root/.rustup, can run it. The copy is content-addressed (same
 * toolchain, same path) and kept by a GC root in `gcRootDir`.
 */
export async function addSysrootToStore(
  sysroot: string,
  opts: NixCallOptions & { gcRootDir: string; name?: string },
): Promise<StoreSysroot> {
  const name = opts.name ?? 'rust-sysroot';
  if (!/^[A-Za-z0-9+\-._?=]+$/.test(name)) throw new Error(`invalid store path name ${name}`);
  // The path comes in through the environment, so no quoting reaches the expression.
  const expr = `let root = builtins.getEnv "RBN_SYSROOT"; n = builtins.stringLength root; in
    builtins.path {
      path = /. + root;
      name = builtins.getEnv "RBN_NAME";
      filter = p: type:
        builtins.elem
          (builtins.head (builtins.split "/" (builtins.substring (n + 1) (builtins.stringLength p) p)))
          [ "bin" "lib" ];
    }`;
  const env = { ...(opts.env ?? process.env), RBN_SYSROOT: path.resolve(sysroot), RBN_NAME: name };
  const nix = opts.nix ?? 'nix';
  const r = await runChecked(
    nix,
    [...NIX_FEATURES, 'eval', '--impure', '--raw', '--expr', expr, ...(opts.nixArgs ?? [])],
    { env, signal: opts.signal },
  );
  const storePath = r.stdout.trim();
  mkdirSync(opts.gcRootDir, { recursive: true });
  await runChecked(
    nixStoreNear(nix, env),
    ['--realise', storePath, '--add-root', path.join(opts.gcRootDir, name)],
    { env, signal: opts.signal },
  );
  return { storePath, rustc: `${storePath}/bin/rustc`, cargo: `${storePath}/bin/cargo` };
}

/** nix-store lives next to nix; find it the same way the caller found nix. */
function nixStoreNear(nix: string, env: NodeJS.ProcessEnv): string {
  if (nix.includes('/')) return path.join(path.dirname(nix), 'nix-store');
  const found = whichIn('nix-store', env);
  if (!found) throw new Error('nix-store is not on PATH');
  return found;
}
