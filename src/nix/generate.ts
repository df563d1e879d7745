// Writes <metadata-dir>/flake from its model (flake-model.ts): one derivation
// per plan step, wired to the steps whose outputs it reads, each given only
// the source files it read.
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
import { forbiddenContext } from '../trust/forbidden-files.js';
import { SourceGate } from '../trust/source-gate.js';
import type { InvocationRecord, Plan } from '../types.js';
import { assetsDir } from '../util/assets-dir.js';
import { Redactor } from '../util/secrets.js';
import type { RootMatcher } from './encode.js';
import { nixAttr, nixString, storeName } from './escape.js';
import { type FlakeModel, flakeModel, type StepSpec } from './flake-model.js';
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
  /** What was written: the derivations' specs. */
  model: FlakeModel;
}

/** steps.nix's entry of one step. */
function renderStep(
  step: StepSpec,
  matcher: RootMatcher,
  hostSums: ReadonlyMap<string, string>,
): string {
  const ref = (id: string): NixExpr => new NixExpr(`S.${nixAttr(id)}`);
  const w = new StepWriter(matcher);
  w.list('deps', step.deps.map(ref));
  w.map(
    'sources',
    step.sources.map(([rel, v]) => [rel, new NixExpr(v)]),
  );
  w.map(
    'hostFiles',
    step.hostFiles.map((path) => [path, hostSums.get(path)!]),
  );
  w.text('kind', step.kind);
  if (step.kind === 'link') {
    w.map('files', step.files);
    w.list('emptyDirs', step.emptyDirs);
  } else {
    w.list('libDeps', step.libDeps.map(ref));
    w.rootedText('command', step.command);
    w.rootedText('cwd', step.cwd);
    w.rootedList('arguments', step.args);
    w.rootedList('environment', step.environment);
    if (step.stdoutFile !== null) w.text('stdoutFile', step.stdoutFile);
    w.list('makeDirs', step.makeDirs);
    w.list('outputFiles', step.outputFiles);
  }
  return `  ${nixAttr(step.id)} = mkStep ${nixString(step.id)} {\n    ${w.lines().join('\n    ')}\n  };`;
}

/** result.nix's body: the final artifacts. */
function renderResult(model: FlakeModel): string[] {
  const result = new StepWriter(model.matcher);
  result.map(
    'artifacts',
    model.artifacts.map((a) => [
      a.at,
      new NixExpr(`"\${S.${nixAttr(a.step)}}" + ${nixString(`/${a.inStep}`)}`),
    ]),
  );
  result.list('artifactDirs', model.artifactDirs);
  return result.lines();
}

/** The flake of `opts.plan`: its model (flake-model.ts), then the sources placed and the files written. */
export function generateFlake(opts: GenerateOptions): GeneratedFlake {
  const { plan, flakeDir, tools } = opts;
  const model = flakeModel(plan, opts.records);

  // Written beside the old flake and swapped in at the end: a source whose
  // recorded path is gone (an uploaded metadata-dir built elsewhere) is taken
  // from the old flake's copy.
  const out = `${flakeDir}.new`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'sources'), { recursive: true });
  const assets = join(assetsDir(), 'nix');
  copyFileSync(join(assets, 'lib.nix'), join(out, 'lib.nix'));
  copyFileSync(join(assets, 'step-runner.sh'), join(out, 'step-runner.sh'));

  // Each source file once: copied into the flake, and one store path of its own.
  const place = sourcePlacer(opts, out);
  const sourceLines = model.sources.map(({ path, rel, var: v }) => {
    const dest = place(path, rel);
    return `  ${v} = src ${nixString(rel)} ${nixString(storeName(basename(path)))} ${nixString(fileNarHash(dest))};`;
  });
  const hostSums = hashHostFiles(opts, model.hostFiles);
  const stepLines = model.steps.map((step) => renderStep(step, model.matcher, hostSums));

  writeFileSync(
    join(out, 'steps.nix'),
    `# Generated by rust-bootstrap-nix from plan.json: one derivation per recorded step.\n{ mkStep, src }:\nlet\n${sourceLines.join('\n')}\n  S = {\n${stepLines.join('\n')}\n  };\nin S\n`,
  );
  writeFileSync(
    join(out, 'result.nix'),
    `# The final artifacts (plan.json "artifacts").\nS: {\n  ${renderResult(model).join('\n  ')}\n}\n`,
  );
  writeFileSync(join(out, 'flake.nix'), renderFlake(tools));
  for (const [name, content] of Object.entries(tools.files))
    writeFileSync(join(out, name), content);
  const digest = rootDigest(out);
  rmSync(flakeDir, { recursive: true, force: true });
  renameSync(out, flakeDir);
  return { dir: flakeDir, steps: plan.steps.length, sources: model.sources.length, digest, model };
}

/**
 * Copies one source into the flake under `out`, after the gate (checked
 * before anything of it is read or copied). A stamp (a link step's file kept
 * with its content) names the build's directories: those become
 * /rbn/<root>, as in every output.
 */
function sourcePlacer(opts: GenerateOptions, out: string): (path: string, rel: string) => string {
  const { plan, flakeDir } = opts;
  // Stamps glue a tag to each path (bootstrap's `t/abs/path`): any occurrence counts.
  const rootName = new Map(plan.roots.map((r) => [r.path, r.name]));
  const stampPattern = wholePathPattern([...rootName.keys()], false);
  const stamps = new Set(plan.steps.flatMap((s) => (s.type === 'link' ? s.sources : [])));
  const files = new SourceFiles(plan.source_dir);
  const gate = opts.gate ?? DEFAULT_GATE;
  const refuse = refuser(plan);
  return (path, rel) => {
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
}

/** The error for a source the gate refuses, naming the first step (by id) that reads it. */
function refuser(plan: Plan): (path: string, why: string) => Error {
  const readBy = new Map<string, string>();
  for (const s of plan.steps) for (const p of s.sources) if (!readBy.has(p)) readBy.set(p, s.id);
  return (path, why) =>
    new Error(
      `source ${path} (read by step ${readBy.get(path)}) is not put into the flake or the Nix store: ${why}`,
    );
}

/** Each host file's sha256 (plan/host-files.ts), after the gate: pinned in its steps, never copied. */
function hashHostFiles(opts: GenerateOptions, paths: readonly string[]): Map<string, string> {
  const gate = opts.gate ?? DEFAULT_GATE;
  const refuse = refuser(opts.plan);
  return new Map(
    paths.map((path) => {
      const problem = gate.hostFileProblem(path);
      if (problem) throw refuse(path, problem);
      return [path, createHash('sha256').update(readFileSync(path)).digest('hex')];
    }),
  );
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
