// Reads what the cache key hashes from the machine (key.ts stays pure).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { CargoLock, ToolchainIdentity } from './key.js';

const run = promisify(execFile);

// Build output and VCS trees: never a lockfile of the build, often huge (x.py's build/).
const SKIP_DIRS = new Set(['.git', 'target', 'build', 'node_modules']);
const MAX_DEPTH = 4;

/**
 * Every Cargo.lock under `sourceDir` (a rust-lang/rust checkout has several:
 * the root, library/, src/bootstrap/...), bounded in depth and skipping build
 * output (any directory with a CACHEDIR.TAG).
 */
export async function findCargoLocks(sourceDir: string): Promise<CargoLock[]> {
  const locks: CargoLock[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isFile() && e.name === 'Cargo.lock') {
        const rel = relative(sourceDir, path).split(sep).join('/');
        locks.push({ path: rel, content: await readFile(path, 'utf8') });
      } else if (e.isDirectory() && depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) {
        if (!existsSync(join(path, 'CACHEDIR.TAG'))) await walk(path, depth + 1);
      }
    }
  };
  await walk(sourceDir, 0);
  return locks.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * `rustc -vV` of the build's rustc, paired with the toolchain's store path (or
 * `system`). `verbose` is that output when toolchain resolution already has it.
 */
export async function toolchainIdentity(
  rustc: string,
  storePath: string,
  verbose?: string,
): Promise<ToolchainIdentity> {
  return {
    rustcVersion: verbose ?? (await run(rustc, ['-vV'], { timeout: 60_000 })).stdout,
    storePath: storePath === 'system' ? `system:${rustc}` : storePath,
  };
}
