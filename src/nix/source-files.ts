// How a source file gets into the generated flake (flake/sources): linked
// when nothing edits it in place, else copied, so the flake stays a snapshot
// of what the build read. Creating a file costs far more than linking one
// (about 0.4 ms against 0.01 ms on the CI bench's disk, for each of 1,070
// sources), so the sources of packages cargo keeps unedited are linked:
//   - a registry crate or a git checkout cargo unpacked (its directory holds
//     .cargo-ok): cargo never changes them once unpacked;
//   - a vendored crate (its directory holds .cargo-checksum.json): cargo
//     refuses a file that differs from its checksum.
// Everything else is copied, the tree's own files and a path dependency's
// outside it alike: an editor may write a linked file in place (vim does,
// for a file with more than one link).
import { copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MARKERS = ['.cargo-ok', '.cargo-checksum.json'];

export class SourceFiles {
  private readonly made = new Set<string>();
  private readonly unedited = new Map<string, boolean>();

  /** `sourceDir`: the tree's root, the user's own: no directory above it is looked at for its files. */
  constructor(private readonly sourceDir: string) {}

  /** Puts `from` (the file at `path`, or a saved copy of it) at `to`. */
  place(from: string, to: string, path: string): void {
    this.makeDir(dirname(to));
    if (this.inUneditedPackage(dirname(path))) link(from, to);
    else copyFileSync(from, to);
  }

  /** A saved copy (the old flake's, deleted once the new one is in place): linked. */
  placeCopy(from: string, to: string): void {
    this.makeDir(dirname(to));
    link(from, to);
  }

  makeDir(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  /** Whether the file at `path` belongs to a package cargo keeps unedited (a registry crate, a vendored one). */
  isUnedited(path: string): boolean {
    return this.inUneditedPackage(dirname(path));
  }

  /** Whether `dir` or a directory above it holds one of cargo's markers (not above the tree's root). */
  private inUneditedPackage(dir: string): boolean {
    let known = this.unedited.get(dir);
    if (known === undefined) {
      const parent = dirname(dir);
      known =
        MARKERS.some((m) => existsSync(join(dir, m))) ||
        (dir !== this.sourceDir && parent !== dir && this.inUneditedPackage(parent));
      this.unedited.set(dir, known);
    }
    return known;
  }
}

function link(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to); // another filesystem, or a file this user may not link
  }
}
