// The recording's path remapping. A step builds under its own build root and
// names it /rbn (`--remap-path-prefix=<build root>=/rbn`, step-runner.sh), so
// each root's files are embedded as /rbn/<root>/... The recording remaps
// each root's directory on this machine to the same name, so that a compile
// recorded here embeds the very paths its step would, and its outputs can
// stand for the step's (build-once/). The recorded arguments stay as cargo
// gave them: the flags are added by the wrapper (assets/recorder/rustc-wrapper).
import { computeRoots, type Root } from '../plan/roots.js';

/** The fixed name a step's build root is embedded under. */
export const EMBEDDED_ROOT = '/rbn';

/**
 * RBN_REMAP: one `<root name>\t<directory>` line per root known before the
 * build (the tree, under its fixed path too, and out-of-tree target dirs),
 * shortest first (rustc applies the last matching flag). A package dir outside
 * them (a registry crate) is named by the wrapper as computeRoots names it.
 * A directory whose name holds a tab or newline is left out (never remapped).
 */
export function remapTable(
  sourceDir: string,
  targetDirs: readonly string[],
  alias: string | null,
): string {
  const roots: Root[] = computeRoots(sourceDir, [...targetDirs], []);
  if (alias) roots.push({ name: 'w', path: alias });
  return roots
    .filter((r) => !/[\t\n]/.test(r.path))
    .sort((a, b) => a.path.length - b.path.length)
    .map((r) => `${r.name}\t${r.path}`)
    .join('\n');
}
