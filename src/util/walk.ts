// The one directory walker: depth first, each directory's entries in the
// order readdir gives them, a directory descended into as soon as its entry
// is visited (so a walker's findings keep that order).
import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkOptions {
  /**
   * Called for each entry; return true to descend into a directory entry.
   * `depth` is 0 for the entries of the root.
   */
  entry: (e: Dirent, path: string, depth: number) => boolean;
  /** Called with a directory's entries before they are visited; false skips them all. */
  dir?: (dir: string, entries: readonly Dirent[], depth: number) => boolean;
  /** An unreadable directory: skipped (default) or its error thrown. */
  onError?: 'skip' | 'throw';
  /** Each directory's entries by name (code unit order), not readdir's: for a digest. */
  sorted?: boolean;
}

/** The entries of `dir`, or [] when it cannot be read. */
export function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export function walk(root: string, o: WalkOptions): void {
  const visit = (d: string, depth: number): void => {
    const entries = o.onError === 'throw' ? readdirSync(d, { withFileTypes: true }) : entriesOf(d);
    if (o.sorted) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (o.dir && !o.dir(d, entries, depth)) return;
    for (const e of entries) {
      const p = join(d, e.name);
      if (o.entry(e, p, depth) === true && e.isDirectory()) visit(p, depth + 1);
    }
  };
  visit(root, 0);
}
