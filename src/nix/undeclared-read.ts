// A step that failed under Nix because it opened a file it never declared:
// the sandbox holds only the step's inputs, so what cargo's build could read
// from the host (a build script without `rerun-if-changed` for it) is not
// there. Named from the step's log: a path there that, put back on the host
// (the build root's roots, or the host path as it is), is a file of one of
// the plan's roots and not among the step's sources.
import { statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Plan, PlanStep } from '../types.js';

/** Where a step's build root lies in its log: the sandbox's /build, Nix's temp dir, or the remapped /rbn. */
const BUILD_ROOT = /^(?:\/build|\/tmp\/nix-build-[^/]+)\/r\/([^/]+)\/(.+)$|^\/rbn\/([^/]+)\/(.+)$/;
const PATH_TOKEN = /\/[^\s'"`:,;()<>[\]{}]+/g;
const NOT_FOUND = /No such file or directory|os error 2\b|NotFound/;

export interface UndeclaredRead {
  /** Host files the log names that the step did not declare. */
  files: string[];
  /** Declared files the log names by their host path, which the sandbox does not have (the step has them under its build root). */
  byHostPath: string[];
  /** The log says a file was missing, whether or not one is named. */
  missing: boolean;
}

export function undeclaredReads(log: string, step: PlanStep, roots: Plan['roots']): UndeclaredRead {
  const missing = NOT_FOUND.test(log);
  if (!missing) return { files: [], byHostPath: [], missing };
  const declared = new Set(step.sources);
  const rootPath = new Map(roots.map((r) => [r.name, r.path]));
  const under = (p: string) => roots.some((r) => p.startsWith(`${r.path}/`));
  const files = new Set<string>();
  const byHostPath = new Set<string>();
  for (const [token] of log.matchAll(PATH_TOKEN)) {
    const m = BUILD_ROOT.exec(token);
    const root = m && rootPath.get(m[1] ?? m[3]!);
    const host = normalize(root ? join(root, m[2] ?? m[4]!) : token);
    if (!under(host)) continue;
    if (declared.has(host)) {
      if (!root) byHostPath.add(host);
    } else if (statSync(host, { throwIfNoEntry: false })?.isFile()) files.add(host);
  }
  return { files: [...files].sort(), byHostPath: [...byHostPath].sort(), missing };
}

/** The sentence a failure adds for an undeclared read, or null when the log shows none. */
export function undeclaredReadNote(read: UndeclaredRead): string | null {
  if (!read.missing) return null;
  const why =
    'each step sees only the files it declared (a build script declares what it reads with `cargo:rerun-if-changed=<path>`)';
  const notes: string[] = [];
  if (read.files.length)
    notes.push(
      `It read ${read.files.join(', ')}, which ${read.files.length > 1 ? 'are' : 'is'} not in its inputs: ${why}.`,
    );
  if (read.byHostPath.length)
    notes.push(
      `It read ${read.byHostPath.join(', ')} by the path the build had on the host: a step has its files in a build root of its own (read them from \`CARGO_MANIFEST_DIR\` or \`OUT_DIR\`).`,
    );
  return notes.length
    ? notes.join(' ')
    : `A file it opened was not there; if it is one the build has, it is not in the step's inputs: ${why}.`;
}
