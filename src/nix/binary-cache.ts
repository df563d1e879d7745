// Built steps kept between runs: the result's closure (every step output,
// never the toolchain) is copied to a file:// binary cache that the Actions
// cache saves, and copied back into the store before the next build, so an
// unchanged step is not built again. Copying in (rather than adding a
// substituter) needs no change to the daemon's trusted substituters.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Log } from '../log.js';
import { run, tail } from '../process.js';
import { NIX_FEATURES } from './cli.js';

const INDEX = 'store-paths';

/** Copies what a restored cache holds into the store; returns how many paths. Warns, never throws. */
export async function importBinaryCache(
  dir: string,
  env: NodeJS.ProcessEnv,
  log: Log,
  signal?: AbortSignal,
): Promise<number> {
  const index = `${dir}/${INDEX}`;
  if (!existsSync(index)) return 0;
  const paths = readFileSync(index, 'utf8')
    .split('\n')
    .filter((p) => p.startsWith('/nix/store/'));
  if (paths.length === 0) return 0;
  const r = await run(
    'nix',
    [...NIX_FEATURES, 'copy', '--no-check-sigs', '--from', `file://${dir}`, ...paths],
    { env, signal },
  );
  if (r.code !== 0) {
    log.warning(
      `The restored Nix binary cache could not be imported; steps will be built instead:\n${tail(r.stderr, 5)}`,
    );
    return 0;
  }
  return paths.length;
}

/** Replaces the cache with the closure of `roots` (so it never grows with old steps). Warns; throws only when cancelled. */
export async function exportBinaryCache(
  dir: string,
  roots: readonly string[],
  env: NodeJS.ProcessEnv,
  log: Log,
  signal?: AbortSignal,
): Promise<boolean> {
  const fresh = `${dir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  const closure = await run('nix', [...NIX_FEATURES, 'path-info', '--recursive', ...roots], {
    env,
    signal,
  });
  const copied =
    closure.code === 0
      ? await run(
          'nix',
          [...NIX_FEATURES, 'copy', '--to', `file://${fresh}?compression=zstd`, ...roots],
          { env, signal },
        ).catch((e: unknown) => {
          rmSync(fresh, { recursive: true, force: true }); // cancelled halfway
          throw e;
        })
      : closure;
  if (copied.code !== 0) {
    log.warning(
      `The Nix binary cache was not written; the next run will build its steps again:\n${tail(copied.stderr, 5)}`,
    );
    rmSync(fresh, { recursive: true, force: true });
    return false;
  }
  writeFileSync(`${fresh}/${INDEX}`, closure.stdout);
  rmSync(dir, { recursive: true, force: true });
  renameSync(fresh, dir);
  return true;
}
