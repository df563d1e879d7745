// Files the build placed itself between compiles: bootstrap's links and
// copies into stageN-sysroot, cargo's uplifted binaries (target/debug/app),
// stamp files that list step outputs. They are found after the build by what
// they are, never by name. A file under a target dir that no step wrote is
//  - a copy, when it is a hard link of, or byte-identical with, a step output;
//  - a stamp, when it is small and names a step output or a copy by path.
// The placed files of one directory become one link step, which depends on
// the steps whose outputs it places.
import { createHash } from 'node:crypto';
import { type Dirent, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { escapeRegExp, type PathAlias, unalias } from '../plan/roots.js';
import { byId } from '../util/order.js';
import { walk } from '../util/walk.js';
import { stageOf } from './stage.js';

/** A compile or build-script run, as far as placing its outputs is concerned. */
export interface Producer {
  id: string;
  /** Files it wrote (compiles) or directories it owns (a build script run's OUT_DIR). */
  files: readonly string[];
  dirs: readonly string[];
  endUs: number | null;
  stage: number | null;
}

export interface PlacedFile {
  path: string;
  /** The step output it is a copy of; null for a stamp (kept with its own content). */
  from: string | null;
}

export interface LinkGroup {
  id: string;
  dir: string;
  files: PlacedFile[];
  /** Empty directories the build left in it (x.py's `self-contained`). */
  emptyDirs: string[];
  /** Steps whose outputs it places. */
  deps: string[];
  /** When its inputs existed: the end of the last step it places from. */
  readyUs: number;
  stage: number | null;
}

const STAMP_MAX_BYTES = 1 << 20;
// Cargo's own bookkeeping: fingerprints and incremental state are never products.
const BOOKKEEPING = new Set(['.fingerprint', 'incremental', '.git']);

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

export function findPlaced(
  producers: readonly Producer[],
  targetDirs: readonly string[],
  aliases: readonly PathAlias[] = [],
): LinkGroup[] {
  const owner = new Map<string, Producer>();
  const byInode = new Map<string, string>();
  const bySize = new Map<number, string[]>();
  // Directories a step writes into whole: its files there are its outputs, not placed ones.
  const stepDirs = new Set<string>();
  // By id, not start order: a file two steps wrote, or a copy byte-identical
  // with two outputs, is credited to the same one every run.
  for (const p of [...producers].sort(byId)) {
    for (const f of p.files) {
      owner.set(f, p);
      stepDirs.add(dirname(f));
      const st = lstatSync(f, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      byInode.set(`${st.dev}:${st.ino}`, f);
      if (st.size > 0) bySize.set(st.size, [...(bySize.get(st.size) ?? []), f]);
    }
    for (const d of p.dirs) {
      stepDirs.add(d);
      stepDirs.add(dirname(d)); // cargo's run dir: output, stderr, root-output
    }
  }
  const hashes = new Map<string, string>();
  const hashOf = (f: string): string => {
    let h = hashes.get(f);
    if (!h) {
      h = sha256(f);
      hashes.set(f, h);
    }
    return h;
  };
  const copyOf = (path: string, size: number, inode: string): string | null => {
    const linked = byInode.get(inode);
    if (linked) return linked;
    const same = bySize.get(size);
    if (!same) return null;
    const h = hashOf(path);
    return same.find((f) => hashOf(f) === h) ?? null;
  };

  const copies: PlacedFile[] = [];
  const candidates: string[] = [];
  const empty: string[] = [];
  const entry = (e: Dirent, p: string): boolean => {
    if (e.isDirectory()) {
      if (BOOKKEEPING.has(e.name) || stepDirs.has(p)) return false;
      if (readdirSync(p).length > 0) return true;
      empty.push(p);
      return false;
    }
    if (!e.isFile() || owner.has(p)) return false;
    const st = lstatSync(p);
    const from = copyOf(p, st.size, `${st.dev}:${st.ino}`);
    if (from) copies.push({ path: p, from });
    else if (st.size > 0 && st.size <= STAMP_MAX_BYTES) candidates.push(p);
    return false;
  };
  for (const t of targetDirs) walk(t, { entry });

  // A stamp names a step output or a copy by its absolute path.
  const named = new Set([...owner.keys(), ...copies.map((c) => c.path)]);
  // A file may name them through an alias the build ran under (cargo's .d files do).
  const namedDirs = [
    ...targetDirs,
    ...aliases.flatMap((a) =>
      targetDirs
        .filter((t) => t.startsWith(`${a.path}/`))
        .map((t) => a.alias + t.slice(a.path.length)),
    ),
  ];
  const pathPattern = new RegExp(
    `(?:${namedDirs.map(escapeRegExp).join('|')})/[^\\0\\n\\r\\t "',;]*`,
    'g',
  );
  const stamps: PlacedFile[] = [];
  for (const p of candidates) {
    const text = readFileSync(p, 'latin1');
    for (const m of text.matchAll(pathPattern)) {
      // A dep-info target ends in a colon (`target/debug/app: src/main.rs`).
      const token = unalias(m[0], aliases);
      if (named.has(token) || named.has(token.replace(/:$/, ''))) {
        stamps.push({ path: p, from: null });
        break;
      }
    }
  }

  const groups = new Map<string, PlacedFile[]>();
  for (const f of [...copies, ...stamps]) {
    const d = dirname(f.path);
    groups.set(d, [...(groups.get(d) ?? []), f]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([dir, files]) => {
      const from = [...new Set(files.flatMap((f) => (f.from ? [owner.get(f.from)!] : [])))];
      const stages = from.flatMap((p) => (p.stage === null ? [] : [p.stage]));
      const t = targetDirs.findIndex((d) => dir === d || dir.startsWith(`${d}/`));
      const rel = relative(targetDirs[t]!, dir);
      const own = stageOf(`/${rel}`);
      return {
        id: linkId(dir, `${t}:${rel}`),
        dir,
        files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
        emptyDirs: empty.filter((e) => dirname(e) === dir).sort(),
        deps: from.map((p) => p.id).sort(),
        readyUs: Math.max(0, ...from.map((p) => p.endUs ?? 0)),
        stage: own ?? (stages.length ? Math.max(...stages) : null),
      };
    });
}

/** Readable and stable across trees: the directory's last two names and a hash of its place. */
function linkId(dir: string, place: string): string {
  const name = `${basename(dirname(dir))}_${basename(dir)}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `link-${name}-${shortHash(place)}`;
}
