// The plan a full emit leaves for the next run: plan.json, invocations.jsonl,
// what decided its graph (graph-inputs.ts), and a copy of each source the
// build wrote itself (bootstrap's stamps under the target dir), which a fresh
// checkout does not have. It lives in the Nix binary cache's directory, so
// the Actions cache restores it with the step outputs it describes.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { MetadataProblem, readRecordsAndPlan, writeRecordsAndPlan } from '../metadata/dir.js';
import type { InvocationRecord, Plan } from '../types.js';
import type { GraphInputs } from './graph-inputs.js';
import { under } from './roots.js';

/** What a plan carries for the next run beside its records: the one shape from load to build to save. */
export interface KeptPlan {
  /** What decided its graph (graph-inputs.ts); its digest is part of the cache key. */
  inputs: GraphInputs;
  /** The saved copy of a source the build wrote itself (null: the files themselves, a full emit's). */
  carried: ((path: string) => string | null) | null;
  /** What the plan's last good build was, when it said so. */
  lastBuild: LastBuild | null;
}

export interface SavedPlan extends KeptPlan {
  plan: Plan;
  records: InvocationRecord[];
  carried: (path: string) => string | null;
}

/** What the last good build of the plan generated and produced. */
export interface LastBuild {
  /** The generated flake's digest (GeneratedFlake.digest). */
  flakeDigest: string;
  outPaths: string[];
  /** The store copy of a system toolchain the build ran with, and its sysrootFingerprint. */
  toolchainCopy: { fingerprint: string; storePath: string } | null;
}

const DIR = 'rbn-plan';
const INPUTS = 'graph-inputs.json';
const LAST_BUILD = 'last-build.json';

/** A last-build.json as written, or null (none, or not one this version wrote). */
function readLastBuild(file: string): LastBuild | null {
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LastBuild>;
    const copy = v.toolchainCopy;
    const strings = (xs: unknown): xs is string[] =>
      Array.isArray(xs) && xs.every((x) => typeof x === 'string');
    if (typeof v.flakeDigest !== 'string' || !strings(v.outPaths)) return null;
    if (
      copy !== null &&
      (typeof copy?.fingerprint !== 'string' || typeof copy?.storePath !== 'string')
    )
      return null;
    return { flakeDigest: v.flakeDigest, outPaths: v.outPaths, toolchainCopy: copy ?? null };
  } catch {
    return null;
  }
}

export function savedPlanDir(cacheDir: string): string {
  return join(cacheDir, DIR);
}

const carriedName = (path: string): string =>
  createHash('sha256').update(path).digest('hex').slice(0, 32);

/** Written beside and swapped in, so a cancelled save leaves the old one whole. */
export function savePlan(
  cacheDir: string,
  saved: Omit<SavedPlan, 'carried'>,
  carried: (path: string) => string | null,
): void {
  const dir = savedPlanDir(cacheDir);
  const fresh = `${dir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(join(fresh, 'sources'), { recursive: true });
  const { plan } = saved;
  const plain: Plan = { ...plan };
  delete plain.reuse; // describes one run, not the plan
  writeRecordsAndPlan(
    fresh,
    saved.records.map((r) => {
      const { reused: _, ...rest } = r;
      return rest;
    }),
    plain,
  );
  writeFileSync(join(fresh, INPUTS), JSON.stringify(saved.inputs));
  if (saved.lastBuild) writeFileSync(join(fresh, LAST_BUILD), JSON.stringify(saved.lastBuild));
  for (const step of plan.steps)
    for (const p of step.sources) {
      if (!plan.target_dirs.some((t) => under(p, t))) continue;
      const from = carried(p);
      if (from) copyFileSync(from, join(fresh, 'sources', carriedName(p)));
    }
  rmSync(dir, { recursive: true, force: true });
  renameSync(fresh, dir);
}

/** The saved plan, or why there is none worth using (never throws). */
export function loadPlan(cacheDir: string): SavedPlan | { missing: string } {
  const dir = savedPlanDir(cacheDir);
  if (!existsSync(join(dir, INPUTS))) return { missing: 'no earlier plan was restored' };
  try {
    // Read as mode build reads a metadata-dir: whole and valid, or not at all.
    const { plan, records } = readRecordsAndPlan(dir);
    const inputs = JSON.parse(readFileSync(join(dir, INPUTS), 'utf8')) as GraphInputs;
    if (typeof inputs?.graph !== 'object' || typeof inputs?.sources !== 'object')
      return { missing: 'the earlier plan does not match its schema (graph-inputs.json)' };
    const carried = (path: string): string | null => {
      const p = join(dir, 'sources', carriedName(path));
      return existsSync(p) ? p : null;
    };
    return { plan, records, inputs, carried, lastBuild: readLastBuild(join(dir, LAST_BUILD)) };
  } catch (e) {
    if (e instanceof MetadataProblem && e.kind === 'schema')
      return { missing: `the earlier plan's ${basename(e.file)} ${e.what}` };
    return { missing: `the earlier plan could not be read (${(e as Error).message})` };
  }
}
