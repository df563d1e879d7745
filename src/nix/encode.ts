// Recorded strings name absolute directories of the recording machine. In
// generated Nix each such directory is replaced by a root name, and the
// step runner puts the build's own directory back, so no recording path
// decides a store path and every other byte stays as it was.
import { type Root, wholePathPattern } from '../plan/roots.js';

export const TOOLCHAIN_ROOT = '@toolchain';

export class RootMatcher {
  private readonly pattern: RegExp | null;
  private readonly byPath: Map<string, string>;

  constructor(private readonly roots: readonly Root[]) {
    this.byPath = new Map(roots.map((r) => [r.path.replace(/\/+$/, ''), r.name]));
    this.pattern = wholePathPattern([...this.byPath.keys()]);
  }

  /** Parts alternating literal, root name, literal, ...; null when no root occurs. */
  split(value: string): string[] | null {
    if (!this.pattern) return null;
    const parts: string[] = [];
    let last = 0;
    for (const m of value.matchAll(this.pattern)) {
      parts.push(value.slice(last, m.index), this.byPath.get(m[0])!);
      last = m.index! + m[0].length;
    }
    if (parts.length === 0) return null;
    parts.push(value.slice(last));
    return parts;
  }

  /** `name/rel` of an absolute path under a root (the layout path in a build), or null. */
  relative(path: string): string | null {
    let best: Root | null = null;
    for (const r of this.roots) {
      if (r.name === TOOLCHAIN_ROOT) continue;
      if (
        (path === r.path || path.startsWith(`${r.path}/`)) &&
        (!best || r.path.length > best.path.length)
      )
        best = r;
    }
    return best ? best.name + path.slice(best.path.length) : null;
  }
}
