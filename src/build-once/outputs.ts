// A compile's recorded outputs as its step would leave them in $out (see
// step-runner.sh): each output file at its place under the build root, its
// dep-info naming the build root /rbn as the runner's sed makes it, and
// nix-support/rbn-libs listing the libraries it was built against. The
// recording remapped every root as the step does (emit/remap.ts), so a
// compile's bytes are the step's, unless they hold a path of this machine
// (env!("OUT_DIR"), a C object's debug info): those are never taken.
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { EMBEDDED_ROOT } from '../emit/remap.js';
import type { RunSpec } from '../nix/flake-model.js';
import type { NarNode } from '../nix/nar.js';
import { externalRootName, type Root, rootOf, wholePathPattern } from '../plan/roots.js';

/** The plan's roots, read both ways: a layout path to this machine's file, and this machine's paths in bytes. */
export class HostLayout {
  private readonly byName: Root[];
  private readonly pattern: RegExp | null;
  private readonly nameOf: Map<string, string>;
  private readonly scans: { prefix: Buffer; roots: Buffer[] }[];

  constructor(readonly roots: readonly Root[]) {
    // The first root of a name is the real directory; a later one of the same name is an alias.
    const seen = new Set<string>();
    this.byName = roots
      .filter((r) => !seen.has(r.name) && seen.add(r.name))
      .sort((a, b) => b.name.length - a.name.length);
    this.nameOf = new Map(roots.map((r) => [r.path, r.name]));
    const paths = roots.map((r) => r.path).filter((p) => p.length > 1);
    this.pattern = wholePathPattern(paths, false);
    this.scans = scansOf(paths);
  }

  /** The file on this machine a layout path (`w/target/debug/x`) names, or null. */
  hostPath(rel: string): string | null {
    const r = this.byName.find((x) => rel === x.name || rel.startsWith(`${x.name}/`));
    return r ? r.path + rel.slice(r.name.length) : null;
  }

  /** `bytes` with this machine's root directories named as `to(root)` names them. */
  rename(bytes: Buffer, to: (name: string) => string): Buffer {
    if (!this.pattern) return bytes;
    const text = bytes.toString('latin1');
    const out = text.replace(this.pattern, (p) => to(this.nameOf.get(p)!));
    return out === text ? bytes : Buffer.from(out, 'latin1');
  }

  /** The first root directory of this machine that `bytes` holds, or null. */
  hostPathIn(bytes: Buffer): string | null {
    for (const { prefix, roots } of this.scans)
      for (let i = bytes.indexOf(prefix); i >= 0; i = bytes.indexOf(prefix, i + 1))
        for (const r of roots)
          if (i + r.length <= bytes.length && bytes.compare(r, 0, r.length, i, i + r.length) === 0)
            return r.toString();
    return null;
  }

  /** Whether the recorder named the package dir `cwd` lies in as the plan does (never a `-2`). */
  namedAsRecorded(cwd: string): boolean {
    const r = rootOf(this.roots, cwd);
    if (!r?.name.startsWith('x/')) return true;
    return r.path === cwd && r.name === externalRootName(cwd);
  }
}

/**
 * The roots grouped by their parent directory, so that the bytes of every
 * output (a debug build's are most of the build) are scanned once per parent
 * (the registry, the tree's parent) rather than once per root (one per crate).
 */
function scansOf(paths: readonly string[]): { prefix: Buffer; roots: Buffer[] }[] {
  const groups = new Map<string, Buffer[]>();
  for (const p of paths) {
    const parent = p.slice(0, p.lastIndexOf('/') + 1);
    // A parent as short as `/` or `/a/` would match everywhere: the root is its own scan.
    const prefix = parent.length >= 5 ? parent : p;
    groups.set(prefix, [...(groups.get(prefix) ?? []), Buffer.from(p)]);
  }
  return [...groups].map(([prefix, roots]) => ({ prefix: Buffer.from(prefix), roots }));
}

export type Recorded = { tree: NarNode; problem: null } | { tree: null; problem: string };

/** The compile's $out, from what the recording left; or why it cannot stand for the step's. */
export function recordedOutput(
  spec: RunSpec,
  libs: readonly string[],
  layout: HostLayout,
  cwd: string,
): Recorded {
  if (!layout.namedAsRecorded(cwd))
    return { tree: null, problem: 'its package dir has a root name the recording did not use' };
  const root: NarNode = { kind: 'dir', entries: new Map() };
  for (const rel of spec.outputFiles) {
    const host = layout.hostPath(rel);
    const st = host ? statSync(host, { throwIfNoEntry: false }) : undefined;
    if (!host || !st?.isFile()) return { tree: null, problem: `the build left no file ${rel}` };
    let bytes: Buffer = readFileSync(host);
    if (rel.endsWith('.d')) bytes = layout.rename(bytes, (name) => `${EMBEDDED_ROOT}/${name}`);
    const found = layout.hostPathIn(bytes);
    if (found) return { tree: null, problem: `${rel} holds this machine's path ${found}` };
    place(root, rel, { kind: 'file', bytes, executable: (st.mode & 0o100) !== 0 });
  }
  if (libs.length > 0)
    place(root, 'nix-support/rbn-libs', {
      kind: 'file',
      bytes: Buffer.from(`${[...new Set(libs)].sort(byBytes).join('\n')}\n`),
      executable: false,
    });
  return { tree: root, problem: null };
}

/** `sort -u` in the C locale, as the runner sorts rbn-libs. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function place(root: NarNode, rel: string, node: NarNode): void {
  const parts = rel.split('/');
  let dir = root;
  for (const p of parts.slice(0, -1)) {
    if (dir.kind !== 'dir') throw new Error(`${rel}: a file stands where a directory is`);
    let next = dir.entries.get(p);
    if (!next) {
      next = { kind: 'dir', entries: new Map() };
      dir.entries.set(p, next);
    }
    dir = next;
  }
  if (dir.kind !== 'dir') throw new Error(`${rel}: a file stands where a directory is`);
  dir.entries.set(parts[parts.length - 1]!, node);
}

/** The step's build root, wherever the build ran: /build/r in the sandbox, $TMPDIR/nix-build-<name>-<n>/r without. */
const BUILT_ROOT = /\/(?:build|tmp\/nix-build-[^/\s]+)\/r(?=\/)/g;
const BUILD_ROOT = '/build/r';

function sandboxed(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const out = text.replace(BUILT_ROOT, BUILD_ROOT);
  return out === text ? bytes : Buffer.from(out, 'latin1');
}

/**
 * Where a build script's run under Nix (its step's output at `out`) left
 * other files than the recorded run did, or null when they are the same:
 * byte for byte, once the recording's directories are named as the sandbox
 * names them (/build/r/<root>). A run that differs (it writes the time, or
 * reads what it did not declare) makes the compiles reading it Nix's to build.
 */
export function runDifference(spec: RunSpec, layout: HostLayout, out: string): string | null {
  const recorded = (b: Buffer): Buffer => layout.rename(b, (n) => `${BUILD_ROOT}/${n}`);
  const compare = (rel: string, host: string, built: string): string | null => {
    const a = lstatSync(host, { throwIfNoEntry: false });
    const b = lstatSync(built, { throwIfNoEntry: false });
    if (!a || !b) return a || b ? `${rel} is only in one of them` : null;
    if (a.isDirectory() !== b.isDirectory() || a.isSymbolicLink() !== b.isSymbolicLink())
      return `${rel} is not the same kind of file`;
    if (a.isDirectory()) {
      const names = new Set([...readdirSync(host), ...readdirSync(built)]);
      for (const n of [...names].sort())
        for (const d of [compare(`${rel}/${n}`, `${host}/${n}`, `${built}/${n}`)]) if (d) return d;
      return null;
    }
    if (a.isSymbolicLink())
      return recorded(Buffer.from(readlinkSync(host))).equals(
        sandboxed(Buffer.from(readlinkSync(built))),
      )
        ? null
        : `${rel} links elsewhere`;
    if ((a.mode & 0o100) !== (b.mode & 0o100)) return `${rel} differs in its executable bit`;
    return recorded(readFileSync(host)).equals(sandboxed(readFileSync(built)))
      ? null
      : `${rel} differs`;
  };
  for (const rel of spec.outputFiles) {
    const host = layout.hostPath(rel);
    if (!host) return `${rel} lies outside the plan's roots`;
    const d = compare(rel, host, `${out}/${rel}`);
    if (d) return d;
  }
  return null;
}
