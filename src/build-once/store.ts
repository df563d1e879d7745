// Making a recorded output the valid output of its step's derivation: each
// tree goes into the store under the step's output path with its references,
// through `nix-store --import` (as `nix-store --export` writes: the NAR, then
// path, references and deriver), which a trusted user may do without a
// signature, as the local Nix cache's `nix copy --no-check-sigs` does.

import { GENERATED_FLAKE_ARGS } from '../nix/build.js';
import { NIX_FEATURES, pathRef } from '../nix/cli.js';
import { type NarNode, narOf } from '../nix/nar.js';
import { run, tail } from '../util/process.js';

export interface StepPaths {
  out: string;
  drv: string;
}

/** Each step's output and derivation path, as the flake evaluates them (the derivations are instantiated). */
export async function stepPaths(
  flakeDir: string,
  system: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<Map<string, StepPaths>> {
  const r = await run(
    'nix',
    [
      ...NIX_FEATURES,
      'eval',
      ...GENERATED_FLAKE_ARGS,
      '--json',
      `${pathRef(flakeDir)}#packages.${system}`,
      '--apply',
      'ps: builtins.mapAttrs (n: p: { out = p.outPath; drv = p.drvPath; }) (builtins.removeAttrs ps [ "default" ])',
    ],
    { env, signal },
  );
  if (r.code !== 0) throw new Error(`nix eval of the steps' paths failed:\n${tail(r.stderr, 8)}`);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, StepPaths>));
}

/** Which of `paths` the store does not hold yet. */
export async function invalidPaths(
  paths: readonly string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const r = await run('nix-store', ['--check-validity', '--print-invalid', ...paths], {
    env,
    signal,
  });
  if (r.code !== 0) throw new Error(`nix-store --check-validity failed:\n${tail(r.stderr, 8)}`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/**
 * Which of the flake's outputs Nix would fetch from a substituter rather than
 * build (`nix build --dry-run` with the binary-cache input's flags): those come
 * from the cache, never from the recording.
 */
export async function substitutablePaths(
  flakeDir: string,
  nixArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const r = await run(
    'nix',
    [
      ...NIX_FEATURES,
      'build',
      ...GENERATED_FLAKE_ARGS,
      '--dry-run',
      '--no-link',
      ...nixArgs,
      `${pathRef(flakeDir)}#default`,
    ],
    { env, signal },
  );
  if (r.code !== 0) throw new Error(`nix build --dry-run failed:\n${tail(r.stderr, 8)}`);
  return new Set(fetchedPaths(r.stderr));
}

/** The paths `nix build --dry-run` says it will fetch ("these N paths will be fetched (...):", "this path will be fetched"). */
export function fetchedPaths(dryRun: string): string[] {
  const out: string[] = [];
  let fetching = false;
  for (const line of dryRun.split('\n')) {
    if (/^\S/.test(line)) fetching = / will be fetched\b/.test(line);
    else if (fetching && /^\s+\/nix\/store\/\S+$/.test(line)) out.push(line.trim());
  }
  return out;
}

export interface Registration {
  paths: StepPaths;
  tree: NarNode;
  /** Store paths its files name (valid already, or registered before it). */
  references: string[];
}

const EXPORT_MAGIC = 0x4558494e;
/** Imported in batches of about this many bytes: the export is held in memory. */
const BATCH_BYTES = 256 * 1024 * 1024;

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function str(s: string): Buffer[] {
  const bytes = Buffer.from(s);
  const pad = bytes.length % 8 ? Buffer.alloc(8 - (bytes.length % 8)) : Buffer.alloc(0);
  return [u64(bytes.length), bytes, pad];
}

/** The store paths of `known` (by hash part) that `bytes` names. */
export function storeReferences(tree: NarNode, known: ReadonlyMap<string, string>): string[] {
  const found = new Set<string>();
  const walk = (n: NarNode): void => {
    if (n.kind === 'dir') for (const c of n.entries.values()) walk(c);
    else
      for (
        let i = n.bytes.indexOf('/nix/store/');
        i >= 0;
        i = n.bytes.indexOf('/nix/store/', i + 1)
      ) {
        const path = known.get(n.bytes.toString('latin1', i + 11, i + 43));
        if (path) found.add(path);
      }
  };
  walk(tree);
  return [...found].sort();
}

/** Imports the trees as their steps' outputs, in the order given (each after the paths it names). */
export async function importOutputs(
  regs: readonly Registration[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<void> {
  let batch: Buffer[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    batch.push(u64(0));
    const r = await run('nix-store', ['--import'], { env, signal, input: batch });
    batch = [];
    bytes = 0;
    if (r.code !== 0) throw new Error(`nix-store --import failed:\n${tail(r.stderr, 8)}`);
  };
  for (const reg of regs) {
    const nar = narOf(reg.tree);
    batch.push(u64(1), ...nar.chunks, u64(EXPORT_MAGIC), ...str(reg.paths.out));
    batch.push(u64(reg.references.length), ...reg.references.flatMap(str));
    batch.push(...str(reg.paths.drv), u64(0));
    bytes += nar.size;
    if (bytes >= BATCH_BYTES) await flush();
  }
  await flush();
}

/** The hash part of a store path, by which Nix finds references. */
export function hashPart(path: string): string {
  return path.slice('/nix/store/'.length, '/nix/store/'.length + 32);
}
