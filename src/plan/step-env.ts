// Which recorded variables a step runs with under Nix: what cargo or x.py's
// bootstrap set for it (anything the build's own environment did not already
// hold), the variables it declared reading, and cargo's per-unit variables.
// The host's noise stays out, and so do the recorder's own wrappers, so store
// paths depend on neither the machine nor the recording.

const CARGO_HOST_VARS =
  /^CARGO_(MAKEFLAGS|HOME|TARGET_DIR|BUILD_.*|TERM_.*|NET_.*|REGISTRIES_.*|REGISTRY_.*|HTTP_.*|INCREMENTAL|LOG|ALIAS_.*|CACHE_.*)$/;
// Set per process or per session, never an input: the runner sets PATH, HOME and TMPDIR itself,
// and NUM_JOBS (cargo's `-j`, the machine's cores) from Nix's cores for a build-script run.
const HOST_VARS =
  /^(PATH|HOME|TMPDIR|TMP|TEMP|PWD|OLDPWD|SHLVL|_|TERM|MAKEFLAGS|MFLAGS|MAKELEVEL|NUM_JOBS|JOBSERVER_.*)$|^(RBN_|SSH_|XDG_|GITHUB_|RUNNER_|INPUT_|STATE_)/;
// What cargo gives a build script run, even where the build's environment held the same value.
const RUN_VARS = new Set([
  'TARGET',
  'HOST',
  'OPT_LEVEL',
  'DEBUG',
  'PROFILE',
  'RUSTC',
  'RUSTDOC',
  'RUSTC_LINKER',
  'OUT_DIR',
  'RUSTC_BOOTSTRAP',
]);

export interface StepEnvContext {
  /** The environment the build command started with; null for a plan written before it was kept. */
  buildEnv: Readonly<Record<string, string | undefined>> | null;
  /** Directories of the recorder's scripts: a value naming one is the recorder, not the build. */
  recorderPaths: readonly string[];
  /** Process ids of the build (bootstrap.py passes its own as BOOTSTRAP_PARENT_ID). */
  pids: readonly number[];
}

export function stepEnvNames(
  type: 'rust_compiler_invocation' | 'build_script_run',
  env: Readonly<Record<string, string>>,
  declared: readonly string[],
  ctx: StepEnvContext,
): string[] {
  const decl = new Set(declared);
  const pids = new Set(ctx.pids.map(String));
  return Object.keys(env)
    .filter((name) => {
      if (decl.has(name)) return true;
      const value = env[name]!;
      if (HOST_VARS.test(name) || ctx.recorderPaths.some((p) => value.includes(p))) return false;
      if (name.startsWith('CARGO_')) return !CARGO_HOST_VARS.test(name);
      if (name === 'OUT_DIR' || name === 'RUSTC_BOOTSTRAP') return true;
      if (type === 'build_script_run' && (RUN_VARS.has(name) || name.startsWith('DEP_')))
        return true;
      return ctx.buildEnv !== null && ctx.buildEnv[name] !== value && !pids.has(value);
    })
    .sort();
}
