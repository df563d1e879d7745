// The toolchain the Nix steps run with: online from the nix/ flake, or
// offline the system toolchain, used in place when Nix's build users can
// read it, else as a copy in the store (Nix build users cannot read one
// under /root). The copy is named by the toolchain's fingerprint, so the
// same toolchain as the last build's is known without reading it, and added
// only when a step is to be built.
import { join } from 'node:path';
import type { Log } from '../log.js';
import { validPaths } from '../nix/cli.js';
import { type NixTools, offlineTools, onlineTools, usableByAll } from '../nix/tools.js';
import type { LastBuild } from '../plan/saved-plan.js';
import type { Plan } from '../types.js';
import { nixFlakeDir } from '../util/assets-dir.js';
import { addSysrootToStore, rootStorePath, sysrootFingerprint } from './resolve.js';

export type ToolchainCopy = NonNullable<LastBuild['toolchainCopy']>;

/** The tools, and the system toolchain's store copy when the steps need one (`inStore`: false while only its path is known). */
export interface Tools {
  tools: NixTools;
  copy: (ToolchainCopy & { inStore: boolean }) | null;
}

/** Offline with the system toolchain (a store copy of it); online from the nix/ flake. */
export async function toolsFor(
  plan: Plan,
  previous: ToolchainCopy | null,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<Tools> {
  const nixSpec = plan.toolchain.nix_spec;
  if (nixSpec) return { tools: onlineTools(nixFlakeDir(), nixSpec.spec, nixSpec.file), copy: null };
  const sysroot = plan.toolchain.sysroot;
  // A store path, or a toolchain every user can run (Debian's /usr), is used in place.
  if (sysroot.startsWith('/nix/store/') || usableByAll(join(sysroot, 'bin', 'rustc')))
    return { tools: offlineTools(sysroot), copy: null };
  // Nix build users cannot read a toolchain under /root: give them a copy in
  // the store. The same toolchain as the last build's names the same copy,
  // known without reading it; it is added only when a step is to be built.
  const fingerprint = sysrootFingerprint(sysroot);
  if (previous?.fingerprint === fingerprint) {
    const inStore = await rootStorePath(previous.storePath, {
      gcRootDir: gcRoots,
      name: TOOLCHAIN_COPY,
      env,
      signal,
    });
    return { tools: offlineTools(previous.storePath), copy: { ...previous, inStore } };
  }
  const storePath = await addToolchainCopy(sysroot, env, gcRoots, log, signal);
  return { tools: offlineTools(storePath), copy: { fingerprint, storePath, inStore: true } };
}

const TOOLCHAIN_COPY = 'rust-toolchain-system';

async function addToolchainCopy(
  sysroot: string,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<string> {
  // One line when done, not a group: other stages' lines come meanwhile.
  const started = Date.now();
  const added = await addSysrootToStore(sysroot, {
    gcRootDir: gcRoots,
    env,
    name: TOOLCHAIN_COPY,
    signal,
  });
  log.info(
    `Added the system toolchain to the Nix store in ${((Date.now() - started) / 1000).toFixed(1)} s: ${added.storePath}`,
  );
  return added.storePath;
}

/**
 * A toolchain copy known only by its path: added to the store unless the
 * flake is the last build's and the cache brought every output (then
 * nothing will build, and nothing needs it). A changed source or another
 * flake will build a step, so the copy starts at once, beside the import;
 * the same flake waits for the import to say whether an output is missing.
 */
export async function copyWhenNeeded(
  copy: ToolchainCopy,
  previous: LastBuild | null,
  /** The flake's digest; null when a step is known to build (a changed source). */
  digest: string | null,
  plan: Plan,
  where: {
    log: Log;
    signal: AbortSignal | undefined;
    nixEnv: NodeJS.ProcessEnv;
    gcRoots: string;
    importing: Promise<number>;
  },
): Promise<ToolchainCopy & { inStore: boolean }> {
  const { log, signal, nixEnv, gcRoots } = where;
  const outPaths = previous?.outPaths ?? [];
  if (digest !== null && digest === previous?.flakeDigest && outPaths.length > 0) {
    await where.importing;
    if ((await validPaths(outPaths, nixEnv)).length === outPaths.length) {
      log.info(
        'Every step output came with the restored cache: the system toolchain is not copied into the Nix store.',
      );
      return { ...copy, inStore: false };
    }
  }
  const storePath = await addToolchainCopy(plan.toolchain.sysroot, nixEnv, gcRoots, log, signal);
  return { ...copy, storePath, inStore: true };
}
