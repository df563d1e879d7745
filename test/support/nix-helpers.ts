// Real Nix for the tests and the bench of the generated flake: every call with
// the flake features on and no substituters (this machine is offline), the
// derivations a build started, step layouts, and dependents in a plan.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxPathArgs } from '../../src/nix/build.js';
import { nixString } from '../../src/nix/escape.js';
import type { NixTools } from '../../src/nix/tools.js';
import { hostSandboxPaths, offlineTools } from '../../src/nix/tools.js';
import type { Plan } from '../../src/types.js';
import { capture } from './spawn.js';
import { baseEnv } from './workspace.js';

export const NIX_FEATURES = ['--extra-experimental-features', 'nix-command flakes'];
// Sandboxed, as every runner's Nix is (Debian's nix.conf says otherwise).
export const NIX_CONFIG =
  'experimental-features = nix-command flakes\nsubstituters =\nsandbox = true';

/** The environment every Nix call of the tests gets (and the action, through `env`). */
export function nixEnv(extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({ NIX_CONFIG, ...extra });
}

export interface NixRun {
  status: number;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/** Runs `nix <features> ...args` (never through a shell). */
export async function nix(args: readonly string[], opts: { cwd?: string } = {}): Promise<NixRun> {
  const r = await capture('nix', [...NIX_FEATURES, ...args], { cwd: opts.cwd, env: nixEnv() });
  return { status: r.status === -1 ? 1 : r.status, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** Like nix(), but a failure throws with Nix's own words. */
export async function nixOk(args: readonly string[], opts: { cwd?: string } = {}): Promise<NixRun> {
  const r = await nix(args, opts);
  if (r.status !== 0) throw new Error(`nix ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

/** The flags an offline flake's steps need by hand: the host tools bound into the sandbox, as the action binds them. */
export function offlineSandboxArgs(): string[] {
  return sandboxPathArgs(hostSandboxPaths(null));
}

/** `nix build --json --no-link` of installables: their derivations and `out` paths, in order, and what it built. */
export async function nixBuildJson(
  installables: readonly string[],
  extra: readonly string[] = [],
): Promise<{ outs: string[]; drvs: string[]; built: string[]; run: NixRun }> {
  // The host tools an offline flake's steps run, as the action binds them (harmless online).
  const run = await nixOk([
    'build',
    '--json',
    '--no-link',
    ...offlineSandboxArgs(),
    ...extra,
    ...installables,
  ]);
  const json = JSON.parse(run.stdout.toString('utf8')) as {
    drvPath: string;
    outputs: { out: string };
  }[];
  return {
    outs: json.map((j) => j.outputs.out),
    drvs: json.map((j) => j.drvPath),
    built: builtDerivations(run.stderr),
    run,
  };
}

/** The derivations (store paths of .drv) a `nix build` log says it built. */
export function builtDerivations(log: string): string[] {
  return [...log.matchAll(/building '(\/nix\/store\/[a-z0-9]{32}-[^']+\.drv)'/g)].map((m) => m[1]!);
}

/** Step ids of generated step derivations (`rbn-<id>.drv`) among built derivations. */
export function builtStepIds(log: string, plan: Plan): string[] {
  const ids = new Set(plan.steps.map((s) => s.id));
  return builtDerivations(log)
    .map((d) => /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)\.drv$/.exec(d)?.[1] ?? '')
    .filter((id) => ids.has(id));
}

/**
 * Where a recorded absolute path lies in a step's build root (and its `$out`):
 * `<root name><rest>` under the deepest plan root. Written here from plan.json
 * alone, independently of the generator's own RootMatcher.
 */
export function layoutPath(plan: Plan, path: string): string {
  let best: { name: string; path: string } | null = null;
  for (const r of plan.roots) {
    const p = r.path.replace(/\/+$/, '');
    if ((path === p || path.startsWith(`${p}/`)) && (!best || p.length > best.path.length))
      best = { name: r.name, path: p };
  }
  if (!best) throw new Error(`${path} is under no plan root`);
  return best.name + path.slice(best.path.length);
}

/** Every file and symlink under `dir`, relative (directories only as their contents). */
export function treeFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...treeFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Symlinks under `dir` and where they point (an output must hold files, not links into a build). */
export function treeSymlinks(dir: string): string[] {
  return treeFiles(dir)
    .filter((rel) => lstatSync(join(dir, rel)).isSymbolicLink())
    .map((rel) => `${rel} -> ${readlinkSync(join(dir, rel))}`);
}

/** The steps that read any of `ids`' outputs, transitively, and `ids` themselves. */
export function withDependents(plan: Plan, ids: readonly string[]): Set<string> {
  const rdeps = new Map<string, string[]>();
  for (const s of plan.steps) for (const d of s.deps) rdeps.set(d, [...(rdeps.get(d) ?? []), s.id]);
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(rdeps.get(id) ?? []));
  }
  return seen;
}

/** The offline tools with one attribute more, so every derivation is new (a cold build). */
export function saltedTools(toolchainStorePath: string, salt: string): NixTools {
  const base = offlineTools(toolchainStorePath);
  return {
    ...base,
    expr: `(let t = ${base.expr}; in t // { extraAttrs = t.extraAttrs // { rbnSalt = ${nixString(salt)}; }; })`,
  };
}

/** The toolchain store path a generated flake runs steps with (see tools.ts). */
export function flakeToolchain(flakeNix: string): string {
  const m = /toolchain = (?:builtins\.appendContext )?"(\/nix\/store\/[a-z0-9]{32}-[^"]+)"/.exec(
    flakeNix,
  );
  if (!m) throw new Error('the generated flake.nix names no toolchain store path');
  return m[1]!;
}

async function nixStore(
  args: readonly string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await capture('nix-store', args, { env: nixEnv() });
  return {
    status: r.status === -1 ? 1 : r.status,
    stdout: r.stdout.toString('utf8'),
    stderr: r.stderr,
  };
}

/**
 * Deletes what a throwaway (salted) flake put in the store: the generated
 * derivations (`rbn-*.drv`) in the closure of `drvPaths`, their outputs, and
 * `extra` paths (the flake's own copy). Only paths nothing else refers to go;
 * sources and the step runner, shared with every other flake, stay. Returns
 * how many paths were deleted.
 */
export async function deleteGenerated(
  drvPaths: readonly string[],
  extra: readonly string[] = [],
): Promise<number> {
  const roots = drvPaths.filter((d) => existsSync(d));
  if (roots.length === 0) return 0;
  const closure = await nixStore(['--query', '--requisites', ...roots]);
  if (closure.status !== 0) throw new Error(`nix-store -qR failed:\n${closure.stderr}`);
  // Topological order lists a path after what it refers to: referrers first when reversed.
  const drvs = closure.stdout
    .split('\n')
    .filter((p) => /^\/nix\/store\/[a-z0-9]{32}-rbn-.*\.drv$/.test(p))
    .reverse();
  const outs: string[] = [];
  for (let i = 0; i < drvs.length; i += 1000) {
    const q = await nixStore(['--query', '--outputs', ...drvs.slice(i, i + 1000)]);
    outs.push(...q.stdout.split('\n').filter((p) => p && existsSync(p)));
  }
  let deleted = 0;
  for (const batch of [outs, drvs, [...extra]])
    for (let i = 0; i < batch.length; i += 1000) {
      const r = await nixStore(['--delete', ...batch.slice(i, i + 1000)]);
      deleted += Number(/(\d+) store paths deleted/.exec(r.stdout + r.stderr)?.[1] ?? 0);
    }
  return deleted;
}

/**
 * Deletes a store path as a fresh runner lacks it: with the derivations that
 * name it (steps take the toolchain copy as an input, and Nix keeps a live
 * output's .drv alive), which a fresh runner never has either. False when
 * something else still roots it.
 */
export function forgetWithDerivations(path: string): boolean {
  const env = { ...baseEnv(), NIX_CONFIG: `${NIX_CONFIG}\nkeep-derivations = false` };
  const q = spawnSync('nix-store', ['--query', '--referrers', path], { env, encoding: 'utf8' });
  const drvs = q.stdout.split('\n').filter((p) => p.endsWith('.drv'));
  return spawnSync('nix-store', ['--delete', ...drvs, path], { env }).status === 0;
}

/** A random tag for salts and edits that no earlier run can have used. */
export function nonce(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** `nix build` arguments of a bench's build of a generated flake: every step, no link, JSON out. */
export function flakeBuildArgs(flakeDir: string, generatedArgs: readonly string[]): string[] {
  return [
    'build',
    ...generatedArgs,
    '--no-link',
    '--json',
    '--max-jobs',
    'auto',
    // The host's tool directories the offline steps run (their bash, cc), as the action binds them.
    ...offlineSandboxArgs(),
    `path:${flakeDir}#default`,
  ];
}

/** A fresh Nix signing key pair, made by Nix itself (`nix key generate-secret`, `convert-secret-to-public`). */
export function signingKeyPair(name: string): { secret: string; public: string } {
  const env = nixEnv();
  const gen = spawnSync('nix', [...NIX_FEATURES, 'key', 'generate-secret', '--key-name', name], {
    env,
    encoding: 'utf8',
  });
  if (gen.status !== 0) throw new Error(`nix key generate-secret failed:\n${gen.stderr}`);
  const secret = gen.stdout.trim();
  const pub = spawnSync('nix', [...NIX_FEATURES, 'key', 'convert-secret-to-public'], {
    env,
    input: secret,
    encoding: 'utf8',
  });
  if (pub.status !== 0) throw new Error(`nix key convert-secret-to-public failed:\n${pub.stderr}`);
  return { secret, public: pub.stdout.trim() };
}
