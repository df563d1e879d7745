// Writes <metadata-dir>/flake: one derivation per plan step, wired to the
// steps whose outputs it reads, each given only the source files it read.
// Shaped after nixpkgs' buildRustCrate and crate2nix, but per recorded
// invocation rather than per crate: the recorded command line is the spec.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { wholePathPattern } from '../plan/roots.js';
import { stepEnvNames } from '../plan/step-env.js';
import { forbiddenContext } from '../trust/forbidden-files.js';
import { SourceGate } from '../trust/source-gate.js';
import type { InvocationRecord, Plan, PlanStep } from '../types.js';
import { assetsDir } from '../util/assets-dir.js';
import { byCodeUnits } from '../util/order.js';
import { Redactor } from '../util/secrets.js';
import { RootMatcher, TOOLCHAIN_ROOT } from './encode.js';
import { nixAttr, nixString, storeName } from './escape.js';
import { fileNarHash } from './nar.js';
import { SourceFiles } from './source-files.js';
import { NixExpr, StepWriter } from './step-format.js';
import { type NixTools, ONLINE_EXPR, ONLINE_INPUT } from './tools.js';

export interface GenerateOptions {
  plan: Plan;
  records: readonly InvocationRecord[];
  flakeDir: string;
  tools: NixTools;
  /** A saved copy of a source the build wrote itself and this tree lacks (a reused plan's stamps). */
  carried?: (path: string) => string | null;
  /**
   * What may become a source (trust/source-gate.ts). Without one: no file
   * git's metadata or a credential by its name, no token-shaped content.
   */
  gate?: SourceGate;
}

const shapes = new Redactor([]);
const DEFAULT_GATE = new SourceGate({
  forbidden: forbiddenContext({}),
  allowed: null,
  secretIn: (text) => shapes.secretKindIn(text),
});

export interface GeneratedFlake {
  dir: string;
  steps: number;
  sources: number;
  /**
   * Names every derivation of the flake: a hash of the files at its root
   * (sources/ aside: each source is pinned there by its NAR hash). Two flakes
   * with the same digest build the same store paths.
   */
  digest: string;
}

/** Arguments that only describe the recording host, never what is built. */
function dropHostArgs(args: readonly string[]): string[] {
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

export function generateFlake(opts: GenerateOptions): GeneratedFlake {
  const { plan, flakeDir, tools } = opts;
  const records = new Map(opts.records.map((r) => [r.id, r]));
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

  // Written beside the old flake and swapped in at the end: a source whose
  // recorded path is gone (an uploaded metadata-dir built elsewhere) is taken
  // from the old flake's copy.
  const out = `${flakeDir}.new`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'sources'), { recursive: true });
  const assets = join(assetsDir(), 'nix');
  copyFileSync(join(assets, 'lib.nix'), join(out, 'lib.nix'));
  copyFileSync(join(assets, 'step-runner.sh'), join(out, 'step-runner.sh'));

  // Each source file once: copied into the flake, and one store path of its own,
  // bound in the order of its place in the flake (never of which step ran first).
  // A stamp (a link step's file kept with its content) names the build's
  // directories: those become /rbn/<root>, as in every output.
  // Stamps glue a tag to each path (bootstrap's `t/abs/path`): any occurrence counts.
  const rootName = new Map(plan.roots.map((r) => [r.path, r.name]));
  const stampPattern = wholePathPattern([...rootName.keys()], false);
  const stamps = new Set(plan.steps.flatMap((s) => (s.type === 'link' ? s.sources : [])));
  const files = new SourceFiles(plan.source_dir);
  const gate = opts.gate ?? DEFAULT_GATE;
  // The first step (in plan order, by id) that reads each source: the one a refusal names.
  const readBy = new Map<string, string>();
  for (const s of plan.steps) for (const p of s.sources) if (!readBy.has(p)) readBy.set(p, s.id);
  const refuse = (path: string, why: string): Error =>
    new Error(
      `source ${path} (read by step ${readBy.get(path)}) is not put into the flake or the Nix store: ${why}`,
    );
  const place = (path: string, rel: string): string => {
    // Checked before anything of it is read or copied.
    const problem = gate.pathProblem(path);
    if (problem) throw refuse(path, problem);
    const dest = join(out, 'sources', rel);
    const copied = join(flakeDir, 'sources', rel);
    // The file itself, else a saved copy of it as the build wrote it (rewritten like it).
    const raw = existsSync(path) ? path : (opts.carried?.(path) ?? null);
    // The old flake's copy is metadata-dir's: a plain file of its own, never a link out of it.
    if (raw === null && !lstatSync(copied, { throwIfNoEntry: false })?.isFile())
      throw new Error(
        `source ${path} is gone, and ${flakeDir} holds no copy of it; emit again in the source tree`,
      );
    // A package cargo keeps unedited is a published crate's: nothing of the host's.
    if (!files.isUnedited(path)) {
      const secret = gate.contentProblem(raw ?? copied);
      if (secret) throw refuse(path, secret);
    }
    if (stamps.has(path) && raw !== null) {
      files.makeDir(dirname(dest));
      const text = readFileSync(raw, 'latin1');
      writeFileSync(
        dest,
        stampPattern ? text.replace(stampPattern, (m) => `/rbn/${rootName.get(m)}`) : text,
        'latin1',
      );
    } else if (raw === null) files.placeCopy(copied, dest);
    else files.place(raw, dest, path);
    return dest;
  };
  const sourcePaths = [...new Set(plan.steps.flatMap((s) => s.sources))]
    .map((path) => ({ path, rel: layout(path) }))
    .sort((a, b) => byCodeUnits(a.rel, b.rel) || byCodeUnits(a.path, b.path));
  const sourceVar = new Map<string, string>();
  const sourceLines = sourcePaths.map(({ path, rel }, i) => {
    const v = `s${i}`;
    sourceVar.set(path, v);
    const dest = place(path, rel);
    return `  ${v} = src ${nixString(rel)} ${nixString(storeName(basename(path)))} ${nixString(fileNarHash(dest))};`;
  });

  const deps = depsOf(plan);
  const stepLines: string[] = [];
  const ref = (id: string): NixExpr => new NixExpr(`S.${nixAttr(id)}`);
  for (const step of plan.steps) {
    const w = new StepWriter(matcher);
    const d = deps.get(step.id)!;
    w.list('deps', d.deps.map(ref));
    w.map(
      'sources',
      step.sources.map((src) => [layout(src), new NixExpr(sourceVar.get(src)!)]),
    );
    if (step.type === 'link') {
      // What the build placed itself: each file copied from the step output
      // it is a copy of, or a stamp from its own source.
      w.text('kind', 'link');
      w.map(
        'files',
        (step.files ?? []).map((f) => [layout(f.path), layout(f.from ?? f.path)]),
      );
      w.list('emptyDirs', (step.empty_dirs ?? []).map(layout));
    } else {
      const rec = records.get(step.id);
      if (!rec) throw new Error(`plan step ${step.id} has no record in invocations.jsonl`);
      const isRun = step.type === 'build_script_run';
      w.text('kind', isRun ? 'run' : 'compile');
      w.list('libDeps', d.libs.map(ref));
      w.rootedText('command', rec.command);
      w.rootedText('cwd', rec.cwd);
      w.rootedList('arguments', isRun ? rec.args : dropHostArgs(rec.args));
      w.rootedList(
        'environment',
        envNamesOf(step, rec.env).map((name) => `${name}=${rec.env[name]!}`),
      );
      const outputs = [...step.outputs];
      const mkdirs = new Set<string>([layout(rec.cwd)]);
      if (isRun) {
        const outDir = step.outputs[0];
        if (outDir) {
          mkdirs.add(layout(outDir));
          const stdout = join(dirname(outDir), 'output');
          w.text('stdoutFile', layout(stdout));
          outputs.push(stdout);
        }
      } else {
        for (const o of step.outputs) mkdirs.add(layout(dirname(o)));
      }
      w.list('makeDirs', [...mkdirs]);
      w.list('outputFiles', outputs.map(layout));
    }
    stepLines.push(
      `  ${nixAttr(step.id)} = mkStep ${nixString(step.id)} {\n    ${w.lines().join('\n    ')}\n  };`,
    );
  }

  // The final artifacts, at their paths relative to the source dir.
  const inResult = (rel: string): string => (rel.startsWith('w/') ? rel.slice(2) : rel);
  const kindOf = new Map(plan.steps.map((s) => [s.id, s.type]));
  const result = new StepWriter(matcher);
  result.map(
    'artifacts',
    plan.artifacts.map((a) => {
      // A link step holds its files at their own paths; an older plan's artifact names a compile's output.
      const inStep = kindOf.get(a.step) === 'link' ? a.path : a.from;
      return [
        inResult(layout(a.path)),
        new NixExpr(`"\${S.${nixAttr(a.step)}}" + ${nixString(`/${layout(inStep)}`)}`),
      ];
    }),
  );
  result.list(
    'artifactDirs',
    plan.steps.flatMap((s) => s.empty_dirs ?? []).map((d) => inResult(layout(d))),
  );

  writeFileSync(
    join(out, 'steps.nix'),
    `# Generated by rust-bootstrap-nix from plan.json: one derivation per recorded step.\n{ mkStep, src }:\nlet\n${sourceLines.join('\n')}\n  S = {\n${stepLines.join('\n')}\n  };\nin S\n`,
  );
  writeFileSync(
    join(out, 'result.nix'),
    `# The final artifacts (plan.json "artifacts").\nS: {\n  ${result.lines().join('\n  ')}\n}\n`,
  );
  writeFileSync(join(out, 'flake.nix'), renderFlake(tools));
  for (const [name, content] of Object.entries(tools.files))
    writeFileSync(join(out, name), content);
  const digest = rootDigest(out);
  rmSync(flakeDir, { recursive: true, force: true });
  renameSync(out, flakeDir);
  return { dir: flakeDir, steps: plan.steps.length, sources: sourceVar.size, digest };
}

/** sha256 over the names and contents of the flake's root files. */
function rootDigest(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name === 'sources') continue;
    h.update(`${name}\0`)
      .update(readFileSync(join(dir, name)))
      .update('\0');
  }
  return h.digest('hex');
}

const SYSTEM_LINE = /^ {6}system = "([a-z0-9_]+-[a-z]+)";$/m;

/** The system a generated flake builds for (the line renderFlake writes), e.g. `x86_64-linux`. */
export function flakeSystem(flakeDir: string): string {
  const file = join(flakeDir, 'flake.nix');
  const m = existsSync(file) ? SYSTEM_LINE.exec(readFileSync(file, 'utf8')) : null;
  if (!m)
    throw new Error(`${file} is not a flake rust-bootstrap-nix generated (it names no system)`);
  return m[1]!;
}

/** A flake input as flake.nix declares it: its URL, and inputs of it that follow the flake's own. */
export interface FlakeInput {
  url: string;
  follows: Record<string, string>;
}

/**
 * The action's nix/ flake carried inside a published flake (under `dir`): its
 * inputs become the flake's own (with nix/'s flake.lock as the flake's), and
 * its outputs are imported from there, so the flake names no path of the
 * machine that generated it. (A relative path input would do the same, but
 * Nix resolves those against the wrong directory before 2.26.)
 */
export interface VendoredNix {
  dir: string;
  inputs: Record<string, FlakeInput>;
}

/** flake.nix of a published online flake: `vendored` in place of the nix/ flake input. */
export function vendoredFlakeNix(system: string, vendored: VendoredNix): string {
  return renderFlake(
    { system, inputs: {}, expr: ONLINE_EXPR, files: {}, sandboxPaths: [] },
    vendored,
  );
}

function renderFlake(tools: NixTools, vendored: VendoredNix | null = null): string {
  const declared: Record<string, FlakeInput> = vendored
    ? vendored.inputs
    : Object.fromEntries(Object.entries(tools.inputs).map(([n, url]) => [n, { url, follows: {} }]));
  const inputNames = Object.keys(declared);
  const inputs = inputNames
    .flatMap((n) => [
      `    ${nixAttr(n)}.url = ${nixString(declared[n]!.url)};`,
      ...Object.entries(declared[n]!.follows).map(
        ([i, target]) => `    ${nixAttr(n)}.inputs.${nixAttr(i)}.follows = ${nixString(target)};`,
      ),
    ])
    .join('\n');
  // Its outputs function called as Nix would call it (it does not read `self`).
  const imported = vendored
    ? `      ${ONLINE_INPUT} =
        let
          flake = import ./${vendored.dir}/flake.nix;
          outputs = flake.outputs { self = outputs; inherit ${inputNames.map(nixAttr).join(' ')}; };
        in outputs;
`
    : '';
  return `# Generated by rust-bootstrap-nix. \`nix build\` builds every step and the final
# artifacts; each step is also packages.${tools.system}.<step id>.
{
  description = "rust-bootstrap-nix: the recorded build, one derivation per step";
${inputNames.length ? `  inputs = {\n${inputs}\n  };\n` : ''}  outputs = { self${inputNames.map((n) => `, ${nixAttr(n)}`).join('')} }:
    let
${imported}      system = ${nixString(tools.system)};
      tools = ${tools.expr};
      lib = import ./lib.nix { inherit system tools; };
      steps = import ./steps.nix { inherit (lib) mkStep src; };
    in {
      packages.\${system} = steps // { default = lib.mkAll steps (import ./result.nix steps); };
    };
}
`;
}
