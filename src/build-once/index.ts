// Build once: the recording compiled every unit already, so a compile whose
// recorded outputs are its step's (outputs.ts) goes into the store as that
// step's output (store.ts) instead of being compiled again by Nix. What
// decides it, step by step in dependency order:
//   - a build script's run is always run again by Nix, and its outputs
//     compared with the recorded run's: one that differs (the time, a random
//     number, an undeclared read) makes every compile that reads it Nix's;
//   - a compile is taken when every step it reads was taken or ran the same,
//     and its recorded files hold no path of this machine;
//   - a link step (copies) is Nix's, and as good as the steps it copies.
// So a run's compiles wait for it: the runs are built in rounds, each after
// the compiles it needs were taken, before the last `nix build` does the rest.
import type { Log } from '../log.js';
import { addMachines, type NixBuildResult } from '../nix/build.js';
import type { FlakeModel, RunSpec, StepSpec } from '../nix/flake-model.js';
import type { NarNode } from '../nix/nar.js';
import type { Plan } from '../types.js';
import { HostLayout, recordedOutput, runDifference } from './outputs.js';
import {
  hashPart,
  importOutputs,
  invalidPaths,
  type Registration,
  stepPaths,
  storeReferences,
  substitutablePaths,
} from './store.js';

export interface BuildOnceOptions {
  plan: Plan;
  model: FlakeModel;
  flakeDir: string;
  system: string;
  /** Store paths a recorded file may name besides the steps' own (the toolchain). */
  storePaths: readonly string[];
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log: Log;
  /** The binary-cache input's substituter flags: what it holds is fetched, not taken. */
  substituterArgs: readonly string[];
  /**
   * Builds these steps with Nix (a round of runs and whatever they need that was
   * not taken); `counted`: the steps it may build, which its progress counts.
   */
  build: (ids: string[], counted: ReadonlySet<string>) => Promise<NixBuildResult>;
}

export interface BuildOnce {
  /** Compiles whose recorded outputs became their steps' outputs (not those in the store already). */
  taken: string[];
  /** Compiles left to Nix, and why. */
  notTaken: { id: string; reason: string }[];
  /** Build-script runs whose run under Nix left other files than the recorded one. */
  runsDiffering: { id: string; reason: string }[];
  /** Steps the rounds built (runs, links, and compiles not taken). */
  built: string[];
  /** Steps the rounds fetched from the binary cache. */
  substituted: string[];
  /** Steps the rounds built per machine (as NixBuildResult's). */
  machines: Record<string, number>;
  /** The round that failed under Nix, if one did (the last build names the step). */
  failed: NixBuildResult | null;
  ms: number;
}

/** Bytes of recorded outputs held before they are imported. */
const PENDING_BYTES = 256 * 1024 * 1024;

export async function buildOnce(opts: BuildOnceOptions): Promise<BuildOnce> {
  const started = Date.now();
  const { plan, model, log } = opts;
  const paths = await stepPaths(opts.flakeDir, opts.system, opts.env, opts.signal);
  const specs = new Map<string, StepSpec>(model.steps.map((s) => [s.id, s]));
  const cwd = new Map(plan.steps.map((s) => [s.id, s.cwd]));
  const layout = new HostLayout(plan.roots);
  const missing = await invalidPaths(
    [...paths.values()].map((p) => p.out),
    opts.env,
    opts.signal,
  );
  // A step the binary cache holds is as good as one in the store: Nix fetches it.
  if (opts.substituterArgs.length > 0 && missing.size > 0)
    for (const p of await substitutablePaths(
      opts.flakeDir,
      opts.substituterArgs,
      opts.env,
      opts.signal,
    ))
      missing.delete(p);
  const known = new Map<string, string>();
  for (const p of [...[...paths.values()].map((p) => p.out), ...opts.storePaths])
    known.set(hashPart(p), p);

  const good = new Map<string, boolean>(); // decided: as the step would make it, or not
  const result: BuildOnce = {
    taken: [],
    notTaken: [],
    runsDiffering: [],
    built: [],
    substituted: [],
    machines: {},
    failed: null,
    ms: 0,
  };
  const libs = new Map<string, string[]>();
  const libsOf = (spec: RunSpec): string[] => {
    let l = libs.get(spec.id);
    if (!l) {
      l = spec.libDeps.flatMap((d) => {
        const dep = specs.get(d);
        return [paths.get(d)!.out, ...(dep && dep.kind !== 'link' ? libsOf(dep) : [])];
      });
      libs.set(spec.id, l);
    }
    return l;
  };

  let pending: Registration[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    await importOutputs(pending, opts.env, opts.signal);
    pending = [];
    pendingBytes = 0;
  };
  const decide = async (spec: StepSpec): Promise<void> => {
    const notGood = spec.deps.find((d) => !good.get(d));
    if (spec.kind === 'link') {
      good.set(spec.id, notGood === undefined);
      return;
    }
    const step = paths.get(spec.id);
    const reason = !step
      ? 'the flake has no such step'
      : notGood !== undefined
        ? `it reads ${notGood}, which Nix builds`
        : null;
    const rec = reason ? null : recordedOutput(spec, libsOf(spec), layout, cwd.get(spec.id) ?? '');
    const why = reason ?? rec?.problem ?? null;
    if (why !== null || !rec?.tree) {
      good.set(spec.id, false);
      result.notTaken.push({ id: spec.id, reason: why ?? '' });
      return;
    }
    good.set(spec.id, true);
    // In the store already (built before, or taken by an earlier run): as good, nothing to add.
    if (!missing.has(step!.out)) return;
    result.taken.push(spec.id);
    pending.push({ paths: step!, tree: rec.tree, references: storeReferences(rec.tree, known) });
    for (const f of treeBytes(rec.tree)) pendingBytes += f;
    if (pendingBytes >= PENDING_BYTES) await flush();
  };

  // Only what a missing compile's decision needs: it and every step it reads,
  // transitively. What is in the store with nothing missing above it stays unread.
  const needed = new Set<string>();
  const need = (id: string): void => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const d of specs.get(id)?.deps ?? []) need(d);
  };
  for (const st of model.steps)
    if (st.kind !== 'run' && st.kind !== 'link' && missing.has(paths.get(st.id)?.out ?? ''))
      need(st.id);
  const undecided = new Set(model.steps.filter((st) => needed.has(st.id)).map((st) => st.id));
  for (;;) {
    // Every compile and link whose inputs are decided, in dependency order.
    for (let moved = true; moved; ) {
      moved = false;
      for (const id of [...undecided]) {
        const spec = specs.get(id)!;
        if (spec.kind === 'run' || !spec.deps.every((d) => good.has(d))) continue;
        await decide(spec);
        undecided.delete(id);
        moved = true;
      }
    }
    await flush();
    const ready = [...undecided].filter((id) => specs.get(id)!.deps.every((d) => good.has(d)));
    if (ready.length === 0) break;
    opts.signal?.throwIfAborted();
    log.info(
      `Build once: ${result.taken.length} compiles taken from the recording so far; running ${ready.length} build script(s) under Nix to compare with their recorded runs.`,
    );
    // What Nix may build for the round: its runs and, among what they read, the
    // compiles not taken and the links (a taken compile is in the store, a decided run too).
    const counted = new Set<string>(ready);
    const reach = (id: string): void => {
      const spec = specs.get(id)!;
      if (counted.has(id) || spec.kind === 'run' || (spec.kind !== 'link' && good.get(id))) return;
      counted.add(id);
      for (const d of spec.deps) reach(d);
    };
    for (const id of ready) for (const d of specs.get(id)!.deps) reach(d);
    const round = await opts.build(ready, counted);
    result.built.push(...round.built);
    result.substituted.push(...round.substituted);
    addMachines(result.machines, round.machines);
    if (!round.ok) {
      result.failed = round;
      break;
    }
    for (const id of ready) {
      const spec = specs.get(id) as RunSpec;
      const diff = runDifference(spec, layout, paths.get(id)!.out);
      good.set(id, diff === null);
      if (diff !== null) result.runsDiffering.push({ id, reason: diff });
      undecided.delete(id);
    }
  }
  result.ms = Date.now() - started;
  return result;
}

function* treeBytes(n: NarNode): Generator<number> {
  if (n.kind === 'file') yield n.bytes.length;
  else for (const c of n.entries.values()) yield* treeBytes(c);
}
