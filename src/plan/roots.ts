// Names for the absolute directories a build touches, so generated Nix can
// lay them out under its own build root without the recording machine's
// paths deciding any store path: the source dir is `w`, an out-of-tree target
// dir `t`, `t-2`, ..., and each external package (a registry crate) `x/<dir name>`.
import { basename } from 'node:path';
import { byCodeUnits } from '../util/order.js';

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
  // Outermost first, so a nested external dir falls under its parent's root;
  // then by path, so a name taken twice gets the same `-2` whatever order the steps ran in.
  const byDepth = (a: string, b: string): number => a.length - b.length || byCodeUnits(a, b);
  for (const d of [...new Set(externalDirs)].sort(byDepth)) {
    add(externalRootName(d), d);
  }
  return roots;
}

/** An external package dir's root name (before a `-2` for a name taken twice). */
export function externalRootName(dir: string): string {
  return `x/${basename(dir).replace(/[^A-Za-z0-9_.+-]/g, '_') || 'root'}`;
}

/** The root a path falls under (the deepest one), or null. */
export function rootOf(roots: readonly Root[], path: string): Root | null {
  let best: Root | null = null;
  for (const r of roots)
    if (under(path, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

/**
 * A pattern for the given absolute directories where they occur as a whole
 * path: at the start of the string or after a separator, and followed by the
 * end, `/` or a separator. Any other neighbour (`/a/ws2`, `/a/ws+1`,
 * `x/a/ws`) makes it part of another name. The longest wins. Without
 * `leftBoundary`, anything may stand before it (a tag glued to a path).
 */
export function wholePathPattern(paths: readonly string[], leftBoundary = true): RegExp | null {
  const sorted = paths.filter(Boolean).sort((a, b) => b.length - a.length);
  const escaped = sorted.map(escapeRegExp);
  const left = leftBoundary ? `(?<=^|[\\s:;,="'(\\[@])` : '';
  return escaped.length
    ? new RegExp(`${left}(?:${escaped.join('|')})(?=$|[/\\s:;,="')\\]])`, 'g')
    : null;
}

/** `text` matched literally inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A second name the build ran a directory under (see emit/stable-path.ts). */
export interface PathAlias {
  alias: string;
  path: string;
}

/** `value` with every whole-path occurrence of an alias replaced by the directory it names. */
export function unalias(value: string, aliases: readonly PathAlias[]): string {
  if (aliases.length === 0) return value;
  // Called for every argument and variable of every record: one pattern per alias list.
  let pattern = aliasPatterns.get(aliases);
  if (!pattern) {
    pattern = wholePathPattern(aliases.map((a) => a.alias))!;
    aliasPatterns.set(aliases, pattern);
  }
  return value.replace(pattern, (m) => aliases.find((a) => a.alias === m)!.path);
}

const aliasPatterns = new WeakMap<readonly PathAlias[], RegExp>();
