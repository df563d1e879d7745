// A real rust-lang/rust tree for the x.py tests and the bench: Debian's
// rustc-web 1.85 source (scripts/fetch-rust-tree.sh puts it in place; setup
// runs it), copied per test, with the config a user of that tree would write
// and Debian's rustc/cargo 1.85 (/usr/bin) as stage0 and `toolchain: system`.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'smol-toml';
import { NIX_CONFIG } from './nix-helpers.js';
import { capture } from './spawn.js';

export const RUST_TREE = process.env.RBN_RUST_TREE ?? '/var/cache/rust-bootstrap-nix/rustc-1.85';
export const HOST = 'x86_64-unknown-linux-gnu';

/** Debian's 1.85 first on PATH: x.py's stage0 and the `system` toolchain. */
export const TREE_PATH = '/usr/bin:/bin';

export function requireRustTree(): void {
  if (!existsSync(join(RUST_TREE, '.rbn-ready')))
    throw new Error(
      `no rust-lang/rust tree at ${RUST_TREE}: run scripts/fetch-rust-tree.sh (scripts/setup-machine.sh does)`,
    );
}

/** The last change_id in bootstrap's change tracker: what a current config states. */
function changeId(tree: string): number {
  const text = readFileSync(join(tree, 'src/bootstrap/src/utils/change_tracker.rs'), 'utf8');
  const ids = [...text.matchAll(/change_id:\s*(\d+)/g)].map((m) => Number(m[1]));
  return ids.at(-1)!;
}

export interface TreeOptions {
  /** `config.toml` (1.85's name) or `bootstrap.toml` (newer bootstraps'). */
  configName?: 'config.toml' | 'bootstrap.toml';
  /** Debian's LLVM 19 for the compiler (llvm-19-dev), as Debian's own rustc 1.85 is built. */
  llvm?: boolean;
}

export const LLVM_CONFIG = '/usr/lib/llvm-19/bin/llvm-config';

/**
 * A copy of the tree at `dir`, hard-linked (fast, 900 MB): change a file
 * only through replaceFile, which never writes through a shared inode.
 */
export async function copyRustTree(dir: string, opts: TreeOptions = {}): Promise<string> {
  requireRustTree();
  mkdirSync(dirname(dir), { recursive: true });
  const r = await capture('cp', ['-al', RUST_TREE, dir]);
  if (r.status !== 0) throw new Error(`cp -al ${RUST_TREE} ${dir}: ${r.stderr}`);
  rmSync(join(dir, '.rbn-ready'));
  writeTreeConfig(dir, opts);
  return dir;
}

/** The config a user of the tree writes (a new inode: the tree's files are shared links). */
export function writeTreeConfig(dir: string, opts: TreeOptions = {}): void {
  const config = {
    'change-id': changeId(dir),
    build: {
      rustc: '/usr/bin/rustc',
      cargo: '/usr/bin/cargo',
      vendor: true,
      'local-rebuild': true,
      submodules: false,
      'optimized-compiler-builtins': false,
    },
    rust: { 'deny-warnings': false },
    llvm: { 'download-ci-llvm': false, ...(opts.llvm ? { 'link-shared': true } : {}) },
    ...(opts.llvm ? { target: { [HOST]: { 'llvm-config': LLVM_CONFIG } } } : {}),
  };
  replaceFile(join(dir, opts.configName ?? 'config.toml'), stringify(config));
}

/** Replaces a file of a copied tree with new content (a new inode: the shared one is left alone). */
export function replaceFile(path: string, content: string): void {
  writeFileSync(`${path}.rbn-new`, content);
  renameSync(`${path}.rbn-new`, path);
}

/** The environment the tests run x.py and the CLI with: Debian's 1.85, offline Nix. */
export function treeEnv(runnerTemp: string): Record<string, string> {
  return {
    PATH: TREE_PATH,
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    NIX_CONFIG,
    RUNNER_TEMP: runnerTemp,
  };
}
