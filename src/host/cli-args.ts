// The CLI's command line, read with the runtime's own util.parseArgs:
// `rust-bootstrap-nix <emit|build|run|publish> [--<input> value | --<input>=value ...]`,
// the inputs being action.yml's (but `mode`, which the subcommand says), and
// `--help` / `-h` (after a subcommand: that subcommand's inputs, with their
// descriptions from action.yml and their defaults).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs as parseArgv } from 'node:util';
import { INPUT_DEFAULTS, type InputName } from '../inputs.js';
import type { Mode } from '../types.js';
import { assetsDir } from '../util/assets-dir.js';
import { SECRET_INPUTS } from '../util/secrets.js';

export const PROGRAM = 'rust-bootstrap-nix';

export const SUBCOMMANDS = {
  emit: {
    mode: 'emit',
    summary: 'run the build once, recording every compiler invocation',
    about:
      'Runs the build once under the recorder and writes, to --metadata-dir, every compiler invocation (invocations.jsonl), the plan (plan.json), the config.toml used and summary.md.',
  },
  build: {
    mode: 'build',
    summary: "build an earlier emit's metadata-dir with Nix",
    about:
      "Generates a Nix flake from an earlier emit's --metadata-dir (one derivation per step) and builds it with Nix; the build's own inputs (command, toolchain, config) are those the emit recorded.",
  },
  run: {
    mode: 'emit-then-build',
    summary: 'emit, then build',
    about:
      'Records the build (as `emit` does), then generates the Nix flake and builds it with Nix (as `build` does).',
  },
  // Reads the earlier run as mode build does, and pushes its flake as it is.
  publish: {
    mode: 'build',
    summary: "push an earlier run's flake to a lattice branch",
    about:
      'Commits the flake an earlier `build` or `run` generated in --metadata-dir (with its config.toml, plan.json and invocations.jsonl) to the next lattice branch of --publish-remote (a remote of the checkout in --source-dir, or a git URL) and pushes it, without building it again; nothing is pushed when the newest branch already holds the same flake.',
  },
} as const satisfies Record<string, { mode: Mode; summary: string; about: string }>;

export type Subcommand = keyof typeof SUBCOMMANDS;

/** The inputs a flag can give (`mode` is the subcommand). */
export const FLAG_INPUTS = (Object.keys(INPUT_DEFAULTS) as InputName[]).filter((n) => n !== 'mode');

/** Inputs that carry a secret: a command line shows in `ps` and shell history, so each may come from the environment. */
const SECRET_INPUT_NAMES: readonly string[] = Object.keys(SECRET_INPUTS);

/** `binary-cache-secret-key` -> `RUST_BOOTSTRAP_NIX_BINARY_CACHE_SECRET_KEY`. */
export const secretEnvName = (name: string): string =>
  `RUST_BOOTSTRAP_NIX_${name.toUpperCase().replaceAll('-', '_')}`;

export const USAGE = `Usage: ${PROGRAM} <emit|build|run|publish> [--<input> <value> ...]
       ${PROGRAM} <emit|build|run|publish> --help

${Object.entries(SUBCOMMANDS)
  .map(([name, sub]) => `  ${name.padEnd(7)} ${sub.summary}`)
  .join('\n')}

Inputs (as in action.yml, as --name value or --name=value): ${FLAG_INPUTS.map((n) => `--${n}`).join(' ')}
Secrets may come from the environment instead: ${SECRET_INPUT_NAMES.map(secretEnvName).join(', ')}.
Run '${PROGRAM} <emit|build|run|publish> --help' for what each input means.
`;

export class UsageError extends Error {}

/** An input's value: the command line's, else (for a secret) its variable's, else undefined. */
export function cliInputValue(
  values: ReadonlyMap<InputName, string>,
  name: InputName,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const given = values.get(name);
  if (given !== undefined) return given;
  return SECRET_INPUT_NAMES.includes(name) ? env[secretEnvName(name)] || undefined : undefined;
}

export type CommandLine =
  | { kind: 'help'; subcommand: Subcommand | null }
  | { kind: 'run'; subcommand: Subcommand; mode: Mode; values: Map<InputName, string> };

const isSubcommand = (s: string | undefined): s is Subcommand =>
  s !== undefined && Object.hasOwn(SUBCOMMANDS, s);

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { tokens } = parseArgv({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(FLAG_INPUTS.map((n) => [n, { type: 'string' as const }])),
    },
    allowPositionals: true,
    strict: false, // the tokens are checked below, with messages that name the flag
    tokens: true,
  });
  const positionals = tokens.filter((t) => t.kind === 'positional').map((t) => t.value);
  // `help` as a subcommand: `rust-bootstrap-nix help [emit]`.
  if (positionals[0] === 'help' && positionals.length <= 2) {
    const sub = positionals[1];
    if (sub !== undefined && !isSubcommand(sub)) throw new UsageError(`unknown command '${sub}'`);
    return { kind: 'help', subcommand: sub ?? null };
  }
  const [sub, ...stray] = positionals;
  const help = tokens.some((t) => t.kind === 'option' && t.name === 'help');
  if (sub !== undefined && !isSubcommand(sub)) throw new UsageError(`unknown command '${sub}'`);
  if (help) return { kind: 'help', subcommand: sub ?? null };
  if (sub === undefined) throw new UsageError('missing command');
  const values = new Map<InputName, string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const flag = t.rawName;
    if (t.name === 'mode')
      throw new UsageError(
        `unknown option '${flag}': the subcommand (emit, build, run, publish) is the mode`,
      );
    if (!(FLAG_INPUTS as string[]).includes(t.name))
      throw new UsageError(`unknown option '${flag}'`);
    if (t.value === undefined) throw new UsageError(`option '${flag}' needs a value`);
    // `--source-dir --toolchain x` is a forgotten value, not a directory named --toolchain.
    if (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')
      throw new UsageError(
        `option '${flag}' needs a value (for one starting with '-', write ${flag}=${t.value})`,
      );
    values.set(t.name as InputName, t.value);
  }
  if (stray.length) throw new UsageError(`unexpected argument '${stray[0]}'`);
  return { kind: 'run', subcommand: sub, mode: SUBCOMMANDS[sub].mode, values };
}

export interface InputDoc {
  name: InputName;
  description: string;
  /** The CLI's default ('' for none). */
  default: string;
}

/**
 * The inputs as action.yml describes them. action.yml sits at the top of the
 * package, beside dist/ (and src/), as the nix/ flake the CLI builds with does;
 * without it, the names and defaults alone.
 */
export async function inputDocs(): Promise<InputDoc[]> {
  let described: Record<string, { description?: unknown } | null> = {};
  try {
    const text = readFileSync(join(dirname(dirname(assetsDir())), 'action.yml'), 'utf8');
    // Loaded only for --help; bundled, the CommonJS module is its default export.
    const yaml = (await import('yaml')) as typeof import('yaml') & {
      default?: typeof import('yaml');
    };
    const parsed = (yaml.default ?? yaml).parse(text) as { inputs?: typeof described } | null;
    described = parsed?.inputs ?? {};
  } catch {
    // no action.yml: no descriptions
  }
  // In action.yml's order.
  const names = [
    ...Object.keys(described).filter((n): n is InputName =>
      (FLAG_INPUTS as readonly string[]).includes(n),
    ),
    ...FLAG_INPUTS.filter((n) => !Object.hasOwn(described, n)),
  ];
  return names.map((name) => {
    const d = described[name]?.description;
    return {
      name,
      description: typeof d === 'string' ? d.replace(/\s+/g, ' ').trim() : '',
      default: INPUT_DEFAULTS[name],
    };
  });
}

/** `text` as lines of at most `width` characters, each after `indent`. */
function wrap(text: string, indent: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/** `rust-bootstrap-nix <sub> --help`. */
export function subcommandHelp(sub: Subcommand, docs: readonly InputDoc[]): string {
  const inputs = docs.map((d) => {
    const flag = `  --${d.name} <value>`;
    const dflt = d.default ? `(default: ${d.default})` : '';
    // A long default (publish-branch's template) goes on a line of its own.
    const head = !dflt
      ? flag
      : `${flag}  ${dflt}`.length <= 80
        ? `${flag}  ${dflt}`
        : `${flag}\n      ${dflt}`;
    return d.description ? `${head}\n${wrap(d.description, '      ')}` : head;
  });
  return `Usage: ${PROGRAM} ${sub} [--<input> <value> ...]

${wrap(SUBCOMMANDS[sub].about, '')}

Inputs (as in action.yml; --name value or --name=value):
${inputs.join('\n')}

Exit status: 0 done, 1 the build failed, 2 bad usage or a bad input, 130 on
SIGINT (Ctrl-C), 143 on SIGTERM, once the run has cleaned up after itself.
On a terminal, the build's output scrolls above one status line; NO_COLOR
turns colours off.
`;
}
