// The shapes every stage shares. Field names of records and the plan are
// fixed by SPEC.md; the JSON Schemas in src/assets/schema mirror these types.
import type { FlakeSpec } from './toolchain/spec.js';

export type Mode = 'emit' | 'build' | 'emit-then-build';
export type InstallNix = 'auto' | 'true' | 'false';
/** How mode build treats metadata it cannot verify (see trust/metadata-trust.ts). */
export type TrustMetadata = 'false' | 'true' | 'sign-and-publish';

/** Every action input, parsed and validated (see inputs.ts). */
export interface Inputs {
  sourceDir: string; // absolute
  command: string[] | null; // null: auto (x.py build or cargo build)
  toolchain: string | null; // null: auto
  targets: string[];
  components: string[];
  configTemplate: string | null; // absolute path
  config: string; // inline TOML, merged last
  mode: Mode;
  metadataDir: string; // absolute
  sccache: boolean;
  cache: boolean;
  cacheKeyPrefix: string;
  saveCache: boolean;
  installNix: InstallNix;
  nixConf: string;
  /** A Nix store URL to substitute steps from and push built ones to. */
  binaryCache: string | null;
  /** Its signing key (a secret): without it the cache is only read. */
  binaryCacheSecretKey: string | null;
  /** The SSH identity for nix-conf's remote builders (a secret). */
  buildersSshKey: string | null;
  githubToken: string;
  checkRun: boolean;
  uploadArtifact: boolean;
  reusePlan: boolean;
  /** emit-then-build: the recording's compiles taken as their steps' outputs (src/build-once/). */
  buildOnce: boolean;
  /** Lattice publishing (src/publish/). */
  publish: boolean;
  publishRemote: string;
  publishBranch: string;
  publishComponent: string | null; // null: auto
  /** Mode build: the emit's plan-digest output, which the metadata must match. */
  metadataDigest: string | null;
  /** Mode build: what unverified metadata may do. */
  trustMetadata: TrustMetadata;
}

export type RecordType = 'rust_compiler_invocation' | 'build_script_run' | 'cargo_invocation';

/** One line of invocations.jsonl. */
export interface InvocationRecord {
  schema_version: number;
  id: string;
  type: RecordType;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  deps: string[];
  outputs: string[];
  exit_code: number | null; // null: the process never reported (killed)
  duration_ms: number;
  start_ms: number; // since the emit started
  probe?: boolean;
  parent?: string;
  /** Carried over from the earlier emit whose plan this run reused: cargo did not run. */
  reused?: true;
}

export type StepKind =
  | 'lib'
  | 'bin'
  | 'proc-macro'
  | 'build-script'
  | 'build-script-run'
  | 'link'
  | 'other';

/** A file a link step places: a copy of a step output, or (from null) a stamp kept with its content. */
export interface PlacedFile {
  path: string;
  from: string | null;
}

/**
 * A plan step: one recorded invocation that produces something the build
 * uses, or (type `link`) what the build did itself between compiles: the
 * files it linked or copied into one directory (bootstrap's sysroots,
 * cargo's uplifted binaries) and the stamps it wrote there.
 */
export interface PlanStep {
  id: string; // equals the record id; a link step has no record
  type: Exclude<RecordType, 'cargo_invocation'> | 'link';
  crate: string; // crate name (package name for build-script runs)
  kind: StepKind;
  deps: string[]; // step ids whose outputs it reads directly
  outputs: string[]; // absolute paths (files, or directories for OUT_DIR)
  sources: string[]; // absolute paths of source files read (not produced by another step)
  env_deps: string[]; // variables it declared reading (dep-info env-dep, rerun-if-env-changed)
  cwd: string;
  duration_ms: number;
  exit_code: number | null;
  /** x.py's stage (RUSTC_STAGE; a link step: the highest of what it places); null outside stages. */
  stage?: number | null;
  /** The variables it runs with under Nix (absent in plans written before 0.2). */
  env_names?: string[];
  /** A link step's files. */
  files?: PlacedFile[];
  /** Empty directories a link step makes (the build left them beside its files). */
  empty_dirs?: string[];
}

/** A final product at the path the build left it (target/debug/app, a sysroot's libstd): a link step's file. */
export interface PlanArtifact {
  path: string; // absolute
  step: string; // the link step that places it
  from: string; // absolute path of the step output it copies (its own path for a stamp)
}

export interface Plan {
  schema_version: number;
  source_dir: string;
  target_dirs: string[];
  /** Absolute directories the steps read from or write to, each given a short stable name (see plan/roots.ts). */
  roots: { name: string; path: string }[];
  toolchain: {
    rustc: string;
    cargo: string;
    /** The directory recorded paths of the toolchain fall under (a store path for Nix toolchains). */
    sysroot: string;
    version: string;
    /** For a Nix toolchain: the spec the nix/ flake resolves it from, so generated steps use the same. */
    nix_spec?: { spec: FlakeSpec; file: string | null };
  };
  steps: PlanStep[];
  artifacts: PlanArtifact[];
  /** Set when the run reused an earlier emit's plan rather than running the build again. */
  reuse?: PlanReuse;
}

export interface PlanReuse {
  /** Source files whose content differs from the earlier emit's. */
  changed_sources: string[];
  /** The steps that read one, and the steps after them: what Nix builds anew. */
  rebuilt_steps: string[];
}
