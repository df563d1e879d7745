// The step format: the attributes a generated derivation hands the step
// runner (src/assets/nix/step-runner.sh), defined once, here.
//
// Every generated derivation has structured attributes (`__structuredAttrs`):
// Nix writes them for the builder to $NIX_ATTRS_SH_FILE as bash variables, a
// text as a string, a list as an indexed array, a map as an associative array,
// every string single-quoted by Nix itself, so any string, however hostile,
// arrives byte for byte. generate.ts writes steps only through StepWriter,
// which takes only the names below in their shapes; the runner's "step
// format" block (the variables it reads, their defaults, and the decoding of
// root references) is rendered from the same table by runnerFormatBlock()
// (`npm run step-format` writes it; a test keeps it current).
//
// A rooted text names the recording machine's directories by root instead
// (`@{w}/target/debug/deps`, `@{@toolchain}/bin/rustc`; see encode.ts), so no
// recording path decides a store path; the runner puts back the build's own
// directory (<build root>/w) or the toolchain's store path.
import type { RootMatcher } from './encode.js';
import { nixAttr, nixString } from './escape.js';

type Shape = 'text' | 'list' | 'map';

interface Field {
  shape: Shape;
  /** Text that may name roots (`@{w}`), put back by the runner. */
  rooted?: true;
  /** Written by lib.nix for every derivation, not by the generator. */
  setBy?: 'lib.nix';
  /** What the runner takes when the attribute is absent (the generator leaves out empty values). */
  default?: string;
  doc: string;
}

/** Every attribute the runner reads, in the order a derivation lists them. */
export const STEP_FORMAT = {
  kind: {
    shape: 'text',
    doc: 'compile (rustc), run (a build script), link (files the build placed itself) or result',
  },
  toolPath: { shape: 'text', setBy: 'lib.nix', doc: 'PATH of the runner and of the command' },
  toolchain: {
    shape: 'text',
    setBy: 'lib.nix',
    doc: 'the toolchain in the store, the root @toolchain',
  },
  deps: {
    shape: 'list',
    doc: 'the outputs of the steps whose outputs this one reads, laid out under the build root',
  },
  libDeps: {
    shape: 'list',
    doc: 'those that are libraries: the libraries they list in nix-support/rbn-libs are laid out too',
  },
  rootMark: {
    shape: 'text',
    default: '@{',
    doc: "what opens a root reference in rooted text: @@{ (and so on) when the step's own strings hold @{",
  },
  command: { shape: 'text', rooted: true, doc: 'the program the step runs, as recorded' },
  cwd: { shape: 'text', rooted: true, doc: 'the directory it runs in' },
  arguments: { shape: 'list', rooted: true, doc: 'its arguments, as recorded' },
  environment: {
    shape: 'list',
    rooted: true,
    doc: 'its environment, NAME=value, as recorded (the runner adds PATH, TMPDIR, HOME; NUM_JOBS for a run)',
  },
  sources: {
    shape: 'map',
    doc: 'each source file the step reads: its path under the build root -> its own store path',
  },
  hostFiles: {
    shape: 'map',
    doc: "each file of the host's system directories it reads where it lies (bound into the sandbox): its path -> the sha256 of its content, checked before the command runs",
  },
  makeDirs: { shape: 'list', doc: 'directories under the build root made before the command runs' },
  outputFiles: { shape: 'list', doc: 'what the command writes: kept in $out at the same paths' },
  stdoutFile: { shape: 'text', doc: "run: where its standard output goes (cargo's `output` file)" },
  files: {
    shape: 'map',
    doc: 'link: each file placed, its path in $out -> the path under the build root it is a copy of',
  },
  emptyDirs: {
    shape: 'list',
    doc: 'link: directories the build made, kept in $out even when empty',
  },
  steps: {
    shape: 'list',
    setBy: 'lib.nix',
    doc: 'result: every step, so that building the result builds the plan',
  },
  artifacts: {
    shape: 'map',
    doc: 'result: each artifact, its path in $out -> the file it is copied from',
  },
  artifactDirs: { shape: 'list', doc: 'result: empty directories of the artifacts, made in $out' },
} as const satisfies Record<string, Field>;

type Format = typeof STEP_FORMAT;
export type FieldName = keyof Format;
type Written = { [K in FieldName]: Format[K] extends { setBy: string } ? never : K }[FieldName];
type Of<S extends Shape, R extends boolean> = {
  [K in Written]: Format[K]['shape'] extends S
    ? (Format[K] extends { rooted: true } ? true : false) extends R
      ? K
      : never
    : never;
}[Written];

/** The Nix expression of a value rather than a string (a step's output, a source's store path). */
export class NixExpr {
  constructor(readonly nix: string) {}
}
type Value = string | NixExpr;

const CLOSE = '}';
const MARK: string = STEP_FORMAT.rootMark.default;

/**
 * The attributes of one derivation, in the step format. Rooted text is split
 * around the recorded directories the matcher knows; every literal part stays
 * as it was, and the step's root mark is one no literal part of it holds.
 */
export class StepWriter {
  private readonly values = new Map<FieldName, string>();
  /** Rooted values as parts (literal, root, literal, ...), encoded once the mark is known. */
  private readonly rooted = new Map<FieldName, string[][]>();

  constructor(private readonly matcher: RootMatcher) {}

  text(name: Exclude<Of<'text', false>, 'rootMark'>, value: Value): this {
    if (value !== '') this.values.set(name, expr(value));
    return this;
  }

  list(name: Of<'list', false>, values: readonly Value[]): this {
    if (values.length) this.values.set(name, `[ ${values.map(expr).join(' ')} ]`);
    return this;
  }

  /** A map; a key given twice keeps its last value. */
  map(name: Of<'map', false>, entries: Iterable<readonly [string, Value]>): this {
    const m = new Map(entries);
    if (m.size)
      this.values.set(
        name,
        `{ ${[...m].map(([k, v]) => `${nixAttr(k)} = ${expr(v)};`).join(' ')} }`,
      );
    return this;
  }

  rootedText(name: Of<'text', true>, value: string): this {
    if (value !== '') this.rooted.set(name, [this.split(value)]);
    return this;
  }

  rootedList(name: Of<'list', true>, values: readonly string[]): this {
    if (values.length)
      this.rooted.set(
        name,
        values.map((v) => this.split(v)),
      );
    return this;
  }

  private split(value: string): string[] {
    const parts = this.matcher.split(value) ?? [value];
    for (let j = 1; j < parts.length; j += 2)
      if (/[{}]/.test(parts[j]!)) throw new Error(`a root name holds a brace: ${parts[j]}`);
    return parts;
  }

  /** The attribute lines, in the format's order. */
  lines(): string[] {
    const literals: string[] = [];
    for (const strings of this.rooted.values())
      for (const parts of strings)
        for (let j = 0; j < parts.length; j += 2) literals.push(parts[j]!);
    const mark = rootMark(literals);
    const encode = (parts: string[]): string => encodeRooted(parts, mark);
    const all = new Map(this.values);
    if (mark !== MARK) all.set('rootMark', nixString(mark));
    for (const [name, strings] of this.rooted) {
      const encoded = strings.map((parts) => nixString(encode(parts)));
      all.set(name, STEP_FORMAT[name].shape === 'list' ? `[ ${encoded.join(' ')} ]` : encoded[0]!);
    }
    return (Object.keys(STEP_FORMAT) as FieldName[])
      .filter((name) => all.has(name))
      .map((name) => `${name} = ${all.get(name)};`);
  }
}

function expr(v: Value): string {
  return v instanceof NixExpr ? v.nix : nixString(v);
}

/** `@{`, or with as many `@` more as it takes for no literal part to hold it. */
export function rootMark(literals: readonly string[]): string {
  let mark = MARK;
  while (literals.some((l) => l.includes(mark))) mark = `@${mark}`;
  return mark;
}

/** Parts (literal, root, literal, ...) as rooted text: each root as <mark><root>}. */
export function encodeRooted(parts: readonly string[], mark: string): string {
  return parts.map((p, j) => (j % 2 ? mark + p + CLOSE : p)).join('');
}

/** Text with its root references put back: what the runner's `resolve` does, for tests and readers. */
export function resolveRooted(text: string, mark: string, root: (name: string) => string): string {
  let out = '';
  let rest = text;
  for (let i = rest.indexOf(mark); i >= 0; i = rest.indexOf(mark)) {
    const end = rest.indexOf(CLOSE, i + mark.length);
    out += rest.slice(0, i) + root(rest.slice(i + mark.length, end));
    rest = rest.slice(end + 1);
  }
  return out + rest;
}

export const RUNNER_BLOCK_START = '# >>> step format';
export const RUNNER_BLOCK_END = '# <<< step format';

/** The runner's step format block: what each attribute is, their defaults, reading them, and putting roots back. */
export function runnerFormatBlock(): string {
  const fields = Object.entries(STEP_FORMAT) as [FieldName, Field][];
  const width = Math.max(...fields.map(([n]) => n.length));
  const kind = (f: Field): string => `${f.rooted ? 'rooted ' : ''}${f.shape}`;
  const kindWidth = Math.max(...fields.map(([, f]) => kind(f).length));
  const bash = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const of = (shape: Shape): [FieldName, Field][] => fields.filter(([, f]) => f.shape === shape);
  const rooted = fields.filter(([, f]) => f.rooted);
  return [
    `${RUNNER_BLOCK_START}: generated from src/nix/step-format.ts by \`npm run step-format\`; edit it there.`,
    '# The attributes of a step (Nix writes them to $NIX_ATTRS_SH_FILE: a text as a',
    '# string, a list as an array, a map as an associative array, byte for byte):',
    ...fields.flatMap(([n, f]) =>
      wrap(`${f.doc}${f.setBy ? ` (set by ${f.setBy})` : ''}`, 96 - width - kindWidth).map(
        (line, i) =>
          `#   ${(i ? '' : n).padEnd(width)}  ${(i ? '' : kind(f)).padEnd(kindWidth)}  ${line}`,
      ),
    ),
    '# An attribute left out is empty. Rooted text names a directory of the recorded',
    `# build as <rootMark><root>${CLOSE}: @toolchain is the toolchain, any other root the`,
    '# directory of that name under the build root; nothing else in it is special.',
    of('text')
      .map(([n, f]) => `${n}=${bash(f.default ?? '')}`)
      .join(' '),
    `${of('list')
      .map(([n]) => `${n}=()`)
      .join(' ')}`,
    `declare -A ${of('map')
      .map(([n]) => `${n}=()`)
      .join(' ')}`,
    // Nix 2.8 gives the host's path of the file even in the sandbox, where it is $NIX_BUILD_TOP's.
    `attrs=\${NIX_ATTRS_SH_FILE:-}`,
    '[ -f "$attrs" ] || attrs=$NIX_BUILD_TOP/.attrs.sh',
    '# shellcheck source=/dev/null',
    'source "$attrs"',
    '',
    '# Every rooted attribute with its roots put back (resolve, below; needs $top and $toolchain).',
    'resolve_roots() {',
    '  local i',
    ...rooted.map(([n, f]) =>
      f.shape === 'list'
        ? `  for i in "\${!${n}[@]}"; do resolve "\${${n}[i]}"; ${n}[i]=$REPLY; done`
        : `  resolve "$${n}"; ${n}=$REPLY`,
    ),
    '}',
    RUNNER_BLOCK_END,
  ].join('\n');
}

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** `script` with its step format block replaced by the current one. */
export function withRunnerFormatBlock(script: string): string {
  const from = script.indexOf(RUNNER_BLOCK_START);
  const to = script.indexOf(RUNNER_BLOCK_END);
  if (from < 0 || to < from) throw new Error('the step runner has no step format block markers');
  return script.slice(0, from) + runnerFormatBlock() + script.slice(to + RUNNER_BLOCK_END.length);
}
