// The flake's model, resolved completely before anything is written (as
// crate2nix resolves its crate model before rendering): where every source
// and path lies in the flake, which step reads which source, each step's
// command line without the recording host's arguments, its environment, and
// the final artifacts. Pure: plan and records in, derivation specs out;
// generate.ts writes them.
import { dirname, join } from 'node:path';
import { isHostSource } from '../plan/host-files.js';
import { stepEnvNames } from '../plan/step-env.js';
import type { InvocationRecord, Plan, PlanStep } from '../types.js';
import { byCodeUnits } from '../util/order.js';
import { RootMatcher, TOOLCHAIN_ROOT } from './encode.js';

/** One source file: its recorded path, its place under sources/, and the variable steps.nix binds it to. */
export interface SourceSpec {
  path: string;
  rel: string;
  var: string;
}

interface StepCommon {
  id: string;
  deps: string[];
  /** Its sources: place in the step's tree, and the variable of the source. */
  sources: [rel: string, variable: string][];
  /** Its host files (plan/host-files.ts): read where they lie, pinned by content. */
  hostFiles: string[];
}

/** What the build placed itself: each file copied from the step output it is a copy of, or a stamp from its own source. */
export interface LinkSpec extends StepCommon {
  kind: 'link';
  files: [at: string, from: string][];
  emptyDirs: string[];
}

/** A recorded compile or build-script run. Command, cwd, arguments and environment are as recorded (rooted when written). */
export interface RunSpec extends StepCommon {
  kind: 'compile' | 'run';
  libDeps: string[];
  command: string;
  cwd: string;
  args: string[];
  environment: string[];
  /** A build script run's captured stdout (cargo's `output`), in the flake's layout. */
  stdoutFile: string | null;
  makeDirs: string[];
  outputFiles: string[];
}

export type StepSpec = LinkSpec | RunSpec;

export interface FlakeModel {
  /** Paths under the plan's roots and the toolchain, as the flake names them. */
  matcher: RootMatcher;
  /** Each source once, by its place in the flake (never by which step ran first). */
  sources: SourceSpec[];
  /** Each host file once, by path. */
  hostFiles: string[];
  steps: StepSpec[];
  /** The final artifacts: where in the result, the step holding it, and its place in that step. */
  artifacts: { at: string; step: string; inStep: string }[];
  artifactDirs: string[];
}

/** Arguments that only describe the recording host, never what is built. */
export function dropHostArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-C' || a === '--codegen') && args[i + 1]?.startsWith('incremental=')) {
      i++;
      continue;
    }
    if (a.startsWith('-Cincremental=') || a.startsWith('--diagnostic-width=')) continue;
    if (a === '--diagnostic-width') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The variables a step runs with: the plan's choice, or for a plan written before it kept one, the same rule without the build's environment. */
function envNamesOf(step: PlanStep, env: Readonly<Record<string, string>>): string[] {
  const names =
    step.env_names ??
    stepEnvNames(step.type as 'rust_compiler_invocation', env, step.env_deps, {
      buildEnv: null,
      recorderPaths: [],
      pids: [],
    });
  return names.filter((n) => n in env);
}

/** A step's direct deps, and those of them that are libraries (whose own libraries the runner lays out too). */
function depsOf(plan: Plan): Map<string, { deps: string[]; libs: string[] }> {
  const kind = new Map(plan.steps.map((s) => [s.id, s.kind]));
  const isLib = (id: string): boolean => kind.get(id) === 'lib' || kind.get(id) === 'proc-macro';
  return new Map(
    plan.steps.map((s) => [s.id, { deps: [...s.deps].sort(), libs: s.deps.filter(isLib).sort() }]),
  );
}

function runSpec(
  step: PlanStep,
  common: StepCommon,
  libDeps: string[],
  rec: InvocationRecord,
  layout: (path: string) => string,
): RunSpec {
  const isRun = step.type === 'build_script_run';
  const outputs = [...step.outputs];
  const mkdirs = new Set<string>([layout(rec.cwd)]);
  let stdoutFile: string | null = null;
  if (isRun) {
    const outDir = step.outputs[0];
    if (outDir) {
      mkdirs.add(layout(outDir));
      const stdout = join(dirname(outDir), 'output');
      stdoutFile = layout(stdout);
      outputs.push(stdout);
    }
  } else {
    for (const o of step.outputs) mkdirs.add(layout(dirname(o)));
  }
  return {
    ...common,
    kind: isRun ? 'run' : 'compile',
    libDeps,
    command: rec.command,
    cwd: rec.cwd,
    args: isRun ? rec.args : dropHostArgs(rec.args),
    environment: envNamesOf(step, rec.env).map((name) => `${name}=${rec.env[name]!}`),
    stdoutFile,
    makeDirs: [...mkdirs],
    outputFiles: outputs.map(layout),
  };
}

export function flakeModel(plan: Plan, recorded: readonly InvocationRecord[]): FlakeModel {
  const records = new Map(recorded.map((r) => [r.id, r]));
  const matcher = new RootMatcher([
    ...plan.roots,
    { name: TOOLCHAIN_ROOT, path: plan.toolchain.sysroot },
  ]);
  const layout = (path: string): string => {
    const rel = matcher.relative(path);
    if (rel === null)
      throw new Error(`${path} lies outside every directory of the plan (plan.json roots)`);
    return rel;
  };
  const hosted = (path: string): boolean => isHostSource(plan, path);
  const all = [...new Set(plan.steps.flatMap((s) => s.sources))];
  const hostFiles = all.filter(hosted).sort(byCodeUnits);
  const sources = all
    .filter((path) => !hosted(path))
    .map((path) => ({ path, rel: layout(path) }))
    .sort((a, b) => byCodeUnits(a.rel, b.rel) || byCodeUnits(a.path, b.path))
    .map((s, i) => ({ ...s, var: `s${i}` }));
  const sourceVar = new Map(sources.map((s) => [s.path, s.var]));
  const deps = depsOf(plan);
  const steps = plan.steps.map((step): StepSpec => {
    const d = deps.get(step.id)!;
    const common: StepCommon = {
      id: step.id,
      deps: d.deps,
      sources: step.sources
        .filter((src) => !hosted(src))
        .map((src) => [layout(src), sourceVar.get(src)!]),
      hostFiles: step.sources.filter(hosted),
    };
    if (step.type === 'link')
      return {
        ...common,
        kind: 'link',
        files: (step.files ?? []).map((f) => [layout(f.path), layout(f.from ?? f.path)]),
        emptyDirs: (step.empty_dirs ?? []).map(layout),
      };
    const rec = records.get(step.id);
    if (!rec) throw new Error(`plan step ${step.id} has no record in invocations.jsonl`);
    return runSpec(step, common, d.libs, rec, layout);
  });
  // The final artifacts, at their paths relative to the source dir.
  const inResult = (rel: string): string => (rel.startsWith('w/') ? rel.slice(2) : rel);
  const kindOf = new Map(plan.steps.map((s) => [s.id, s.type]));
  const artifacts = plan.artifacts.map((a) => ({
    at: inResult(layout(a.path)),
    step: a.step,
    // A link step holds its files at their own paths; an older plan's artifact names a compile's output.
    inStep: layout(kindOf.get(a.step) === 'link' ? a.path : a.from),
  }));
  const artifactDirs = plan.steps
    .flatMap((s) => s.empty_dirs ?? [])
    .map((d) => inResult(layout(d)));
  return { matcher, sources, hostFiles, steps, artifacts, artifactDirs };
}
