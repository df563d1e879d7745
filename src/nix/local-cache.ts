// The local Nix cache (saved as the Actions cache `nix-binary-cache`; not the
// binary-cache input, binary-cache/): built steps kept between runs: the result's closure (every step output,
// never the toolchain) is copied to a file:// binary cache that the Actions
// cache saves, and copied back into the store before the next build, so an
// unchanged step is not built again. Copying in (rather than adding a
// substituter) needs no change to the daemon's trusted substituters.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Log } from '../log.js';
import { run, tail } from '../util/process.js';
import { NIX_FEATURES } from './cli.js';

const INDEX = 'store-paths';
/**
 * zstd at its fastest level: a third less time than Nix's default level
 * (1.1 s against 1.5 s for the CI bench's 340 MB of step outputs) for 15%
 * more bytes; the Actions cache compresses the whole directory again anyway.
 */
const NAR_COMPRESSION = 'compression=zstd&compression-level=1';

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

/**
 * Makes the cache hold exactly the closure of `roots` (so it never grows with
 * old steps): only the paths it lacks are compressed and written (a run that
 * rebuilt a few steps writes a few NARs, not the whole build again), then the
 * index is swapped in, then what no longer belongs is deleted. At every point
 * the index names only paths the cache holds, so a cancelled export leaves a
 * usable cache. Other files (the kept plan) are left alone. Warns; throws only
 * when cancelled.
 */
export async function exportBinaryCache(
  dir: string,
  roots: readonly string[],
  env: NodeJS.ProcessEnv,
  log: Log,
  signal?: AbortSignal,
): Promise<boolean> {
  const closure = await run('nix', [...NIX_FEATURES, 'path-info', '--recursive', ...roots], {
    env,
    signal,
  });
  const copied =
    closure.code === 0
      ? await run(
          'nix',
          [...NIX_FEATURES, 'copy', '--to', `file://${dir}?${NAR_COMPRESSION}`, ...roots],
          { env, signal },
        )
      : closure;
  if (copied.code !== 0) {
    log.warning(
      `The Nix binary cache was not written; the next run will build its steps again:\n${tail(copied.stderr, 5)}`,
    );
    return false;
  }
  const index = `${dir}/${INDEX}`;
  writeFileSync(`${index}.new`, closure.stdout);
  renameSync(`${index}.new`, index);
  pruneBinaryCache(dir, closure.stdout.split('\n').filter(Boolean));
  return true;
}

/** Deletes the narinfos of paths not in `keep`, then the NARs no kept narinfo names. */
function pruneBinaryCache(dir: string, keep: readonly string[]): void {
  const hashes = new Set(keep.map((p) => basename(p).slice(0, 32)));
  const nars = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.narinfo')) continue;
    const file = join(dir, name);
    if (!hashes.has(name.slice(0, -'.narinfo'.length))) {
      rmSync(file, { force: true });
      continue;
    }
    const url = /^URL: (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (url) nars.add(basename(url));
  }
  const narDir = join(dir, 'nar');
  if (!existsSync(narDir)) return;
  for (const name of readdirSync(narDir))
    if (!nars.has(name)) rmSync(join(narDir, name), { force: true });
}
