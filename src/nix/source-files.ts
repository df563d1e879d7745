// How a source file gets into the generated flake (flake/sources): linked
// when nothing edits it in place, else copied, so the flake stays a snapshot
// of what the build read. Creating a file costs far more than linking one
// (about 0.4 ms against 0.01 ms on the CI bench's disk, for each of 1,070
// sources), so the sources that are not the user's own are linked:
//   - a registry crate's (an external package root): cargo never changes
//     them once unpacked;
//   - a vendored crate's (its directory holds .cargo-checksum.json): cargo
//     refuses a vendored file that differs from its checksum.
// The tree's own files are copied: an editor may write a linked file in
// place (vim does, for a file with more than one link).
import { copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inExternalPackage, under } from '../plan/roots.js';

export class SourceFiles {
  private readonly made = new Set<string>();
  private readonly checksummed = new Map<string, boolean>();

  /** `sourceDir`: the tree's root; a vendored crate is looked for below it. */
  constructor(private readonly sourceDir: string) {}

  /** Puts `from` (the file at `path`, whose layout path is `rel`) at `to`. */
  place(from: string, to: string, where: { path: string; rel: string }): void {
    this.makeDir(dirname(to));
    if (inExternalPackage(where.rel) || this.vendored(dirname(where.path))) link(from, to);
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

  /** Whether `dir`, or a directory above it inside the tree, holds .cargo-checksum.json. */
  private vendored(dir: string): boolean {
    if (dir === this.sourceDir || !under(dir, this.sourceDir)) return false;
    let known = this.checksummed.get(dir);
    if (known === undefined) {
      known = existsSync(join(dir, '.cargo-checksum.json')) || this.vendored(dirname(dir));
      this.checksummed.set(dir, known);
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
