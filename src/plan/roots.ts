// Names for the absolute directories a build touches, so generated Nix can
// lay them out under its own build root without the recording machine's
// paths deciding any store path: the source dir is `w`, an out-of-tree target
// dir `t`, `t-2`, ..., and each external package (a registry crate) `x/<dir name>`.
import { basename } from 'node:path';

export interface Root {
  name: string;
  path: string;
}

export function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

export function computeRoots(
  sourceDir: string,
  targetDirs: readonly string[],
  externalDirs: readonly string[],
): Root[] {
  const roots: Root[] = [{ name: 'w', path: sourceDir }];
  const taken = new Set(['w']);
  const add = (base: string, path: string): void => {
    if (roots.some((r) => under(path, r.path))) return;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    roots.push({ name, path });
  };
  for (const t of targetDirs) add('t', t);
  // Outermost first, so a nested external dir falls under its parent's root.
  for (const d of [...new Set(externalDirs)].sort((a, b) => a.length - b.length)) {
    add(`x/${basename(d).replace(/[^A-Za-z0-9_.+-]/g, '_') || 'root'}`, d);
  }
  return roots;
}

/** The root a path falls under (the deepest one), or null. */
export function rootOf(roots: readonly Root[], path: string): Root | null {
  let best: Root | null = null;
  for (const r of roots)
    if (under(path, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}
