// Where mode build may read files, derived from what this run knows (its
// inputs, its environment, the cargo configuration of the tree and of
// CARGO_HOME), never from the metadata it builds: plan.json's `roots` are
// whatever its writer wanted them to be.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { under } from '../plan/roots.js';
import { isTable } from '../util/toml-table.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface AllowedRoot {
  path: string;
  /** What it is, as an error names it. */
  what: string;
}

/** A root with its real path, as sources are judged against it. */
export interface ResolvedRoot extends AllowedRoot {
  real: string;
}

function resolved(r: AllowedRoot): ResolvedRoot {
  try {
    return { ...r, real: realpathSync(r.path) };
  } catch {
    return { ...r, real: r.path };
  }
}

function cargoHomeOf(env: Env): string | null {
  if (env.CARGO_HOME) return resolve(env.CARGO_HOME);
  return env.HOME ? join(env.HOME, '.cargo') : null;
}

/** `[source.*] directory`/`local-registry` entries of one cargo config file (Debian's /usr/share/cargo/registry is one). */
function directorySources(file: string): string[] {
  let config: unknown;
  try {
    config = parse(readFileSync(file, 'utf8'));
  } catch {
    return []; // unreadable or not TOML: cargo would refuse it too
  }
  const sources = isTable(config) ? config.source : undefined;
  if (!isTable(sources)) return [];
  // Relative paths are relative to the directory holding `.cargo/` (cargo's rule).
  const base = dirname(dirname(file));
  return Object.values(sources).flatMap((s) =>
    isTable(s)
      ? (['directory', 'local-registry'] as const).flatMap((k) =>
          typeof s[k] === 'string' ? [resolve(base, s[k] as string)] : [],
        )
      : [],
  );
}

/** The cargo config files cargo reads for a build in `sourceDir`: the tree's and its parents', then CARGO_HOME's. */
function cargoConfigFiles(sourceDir: string, cargoHome: string | null): string[] {
  const files: string[] = [];
  for (let d = sourceDir; ; d = dirname(d)) {
    files.push(join(d, '.cargo', 'config.toml'), join(d, '.cargo', 'config'));
    if (dirname(d) === d) break;
  }
  if (cargoHome) files.push(join(cargoHome, 'config.toml'), join(cargoHome, 'config'));
  return [...new Set(files)].filter((f) => existsSync(f));
}

/** Toolchain directories: the Nix store, rustup's toolchains, and the sysroot of each rustc on PATH. */
export function toolchainRoots(env: Env): AllowedRoot[] {
  const roots: AllowedRoot[] = [{ path: '/nix/store', what: 'the Nix store' }];
  const rustupHome = env.RUSTUP_HOME || (env.HOME ? join(env.HOME, '.rustup') : null);
  if (rustupHome)
    roots.push({ path: join(resolve(rustupHome), 'toolchains'), what: "rustup's toolchains" });
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    let rustc: string;
    try {
      rustc = realpathSync(join(dir, 'rustc'));
    } catch {
      continue;
    }
    // <sysroot>/bin/rustc; rustup's proxy (~/.cargo/bin/rustc -> rustup) has no lib/rustlib beside it.
    const sysroot = dirname(dirname(rustc));
    if (existsSync(join(sysroot, 'lib', 'rustlib')) && !roots.some((r) => under(sysroot, r.path)))
      roots.push({ path: sysroot, what: `the toolchain of ${join(dir, 'rustc')}` });
  }
  return roots;
}

/** Every directory a source of mode build may lie in. */
export function allowedSourceRoots(sourceDir: string, env: Env): ResolvedRoot[] {
  const cargoHome = cargoHomeOf(env);
  const roots: AllowedRoot[] = [{ path: sourceDir, what: 'source-dir' }];
  if (cargoHome)
    roots.push(
      { path: join(cargoHome, 'registry', 'src'), what: "cargo's registry (CARGO_HOME)" },
      { path: join(cargoHome, 'git', 'checkouts'), what: "cargo's git checkouts (CARGO_HOME)" },
    );
  for (const file of cargoConfigFiles(sourceDir, cargoHome))
    for (const dir of directorySources(file))
      roots.push({ path: dir, what: `a [source] directory of ${file}` });
  // A toolchain's own sources (rust-src), never the rest of a sysroot such as /usr.
  for (const t of toolchainRoots(env))
    roots.push(
      t.path === '/nix/store' || t.what === "rustup's toolchains"
        ? t
        : { path: join(t.path, 'lib', 'rustlib'), what: t.what },
    );
  return roots.map(resolved);
}

/** The allowed root `path` lies in, by its name and by its real path (a symlink out of one counts where it leads), or null. */
export function allowedRootOf(path: string, roots: readonly ResolvedRoot[]): ResolvedRoot | null {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // gone: judged by its name
  }
  return roots.find((r) => under(path, r.path) && under(real, r.real)) ?? null;
}
