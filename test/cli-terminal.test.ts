// The CLI on a real pseudo-terminal (util-linux `script`): the build's lines
// scroll above one status line that never leaves a fragment behind, the Nix
// stage counts built and reused steps, NO_COLOR, no workflow command ever;
// and --help per subcommand, usage errors naming the flag.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { metadataDigest } from '../src/trust/metadata-integrity.js';
import { NIX_CONFIG } from './support/nix-helpers.js';
import { actionCheckout } from './support/run-action.js';
import { render } from './support/screen.js';
import { capture } from './support/spawn.js';
import { baseEnv, removeTempDirs, tempDir, tinyCrate } from './support/workspace.js';

afterAll(removeTempDirs);

const CLI = join(actionCheckout(), 'dist', 'cli.js');
const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`);
const WORKFLOW_COMMAND =
  /::(add-path|add-mask|group|endgroup|error|warning|notice|debug|set-output|set-env|save-state|stop-commands)\b/;

/** One word for `sh -c` (what `script -c` runs): single-quoted. */
const shellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

interface TerminalRun {
  status: number;
  /** Everything the terminal received, both streams. */
  bytes: string;
}

/** Runs the CLI with a pseudo-terminal for its stdin, stdout and stderr. */
function onTerminal(args: string[], env: Record<string, string>): Promise<TerminalRun> {
  const command = [process.execPath, CLI, ...args].map(shellWord).join(' ');
  return new Promise((resolvePromise, reject) => {
    // -q no banner, -f flush at once, -e the command's exit status, -c the command.
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: tempDir('rbn-cli-tty-'),
      // A RUNNER_TEMP of its own: the CLI's default (the system temp dir) would keep its GC roots.
      env: {
        RUNNER_TEMP: tempDir('rbn-cli-temp-'),
        ...env,
        SHELL: '/bin/sh',
        TERM: 'xterm-256color',
        COLUMNS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({ status: code ?? -1, bytes: Buffer.concat(out).toString('utf8') }),
    );
  });
}

/** Flags for a quick offline run: the system toolchain, no sccache, no caches, Nix on PATH. */
function quick(ws: string, metadataDir: string): string[] {
  return [
    `--source-dir=${ws}`,
    '--toolchain=system',
    '--sccache=false',
    '--cache=false',
    '--install-nix=false',
    `--metadata-dir=${metadataDir}`,
  ];
}

/**
 * What the screen is left with: the cursor at column 0 of an empty line; a
 * stage's count only as a whole line of its own (its last, left when the
 * stage ended), never beside other text; no workflow command.
 */
function expectCleanEnd(bytes: string): string[] {
  const screen = render(bytes);
  expect(screen.lines.at(-1)).toBe('');
  expect(screen.col).toBe(0);
  for (const line of screen.lines.filter((l) => /\[(recording|nix build)\]/.test(l)))
    expect(line).toMatch(
      /^\[(recording|nix build)\] \d+(\/\d+ steps| done)( · [a-z0-9 ]+)* · \d+:\d\d$/,
    );
  for (const line of screen.lines) expect(line).not.toMatch(/^::/);
  expect(bytes).not.toMatch(WORKFLOW_COMMAND);
  return screen.lines;
}

/** The Nix stage's last count, as the screen keeps it: [done, total, built, taken, reused]. */
function nixCount(lines: string[]): number[] | undefined {
  const m = lines
    .map((l) =>
      /^\[nix build\] (\d+)\/(\d+) steps · (\d+) built(?: · (\d+) taken)? · (\d+) reused · \d+:\d\d$/.exec(
        l,
      ),
    )
    .filter((x) => x !== null);
  return m
    .at(-1)
    ?.slice(1)
    .map((n) => Number(n ?? 0));
}

describe('emit on a terminal, the build writing half lines and its own \\r progress', () => {
  let run: TerminalRun;
  let lines: string[];

  beforeAll(async () => {
    const ws = tinyCrate(join(tempDir('rbn-cli-tty-crate-'), 'tiny'));
    // A line written in two parts with a pause between (the status line is
    // drawn meanwhile); a line whose \r and \n come apart; a \r-redrawn bar
    // of the build's own, erased before cargo's lines.
    const script = [
      "printf '   Compiling' >&2",
      'sleep 2',
      "printf ' libc v0.2.139\\n' >&2",
      "printf '   Compiling serde v1.0.0\\r' >&2",
      'sleep 2',
      "printf '\\n' >&2",
      "printf 'Building [=> ] 1/2\\rBuilding [==>] 2/2\\r' >&2",
      'sleep 1.5',
      "printf '\\033[K' >&2",
      'exec cargo build',
    ].join('; ');
    run = await onTerminal(
      [
        'emit',
        ...quick(ws, join(tempDir('rbn-cli-tty-meta-'), 'meta')),
        '--command',
        `sh -c "${script}"`,
      ],
      baseEnv(),
    );
    lines = render(run.bytes).lines;
  });

  test('exits 0; the status line was drawn, and cleared before the build line after it', () => {
    expect(run.status).toBe(0);
    expect(run.bytes).toMatch(/\r\[recording\] \d+ done/);
    expect(run.bytes).toContain(`\r${ESC}[K   Compiling libc v0.2.139`);
  });

  test("the build's lines are whole on the screen, no fragment beside the status", () => {
    const build = lines.filter((l) => !l.startsWith('==> ')); // not the group title, which quotes the command
    expect(build.filter((l) => l.includes('libc v0.'))).toEqual(['   Compiling libc v0.2.139']);
    expect(build.filter((l) => l.includes('serde v1.'))).toEqual(['   Compiling serde v1.0.0']);
    expect(lines.filter((l) => l.includes('Compiling tiny'))).toEqual([
      expect.stringMatching(/^ {3}Compiling tiny v0\.1\.0 \(.+\)$/),
    ]);
    expect(lines.filter((l) => l.includes('Finished'))).toEqual([
      expect.stringMatching(/^ {4}Finished /),
    ]);
    expect(build.some((l) => l.includes('Building ['))).toBe(false); // erased by the build itself
    expect(lines.some((l) => /^steps=\d+$/.test(l))).toBe(true);
  });

  test('the screen ends clean: no status left, the cursor at column 0; no workflow command', () => {
    expectCleanEnd(run.bytes);
  });

  test('our colours without NO_COLOR', () => {
    expect(run.bytes).toContain(`${ESC}[34m==>${ESC}[39m`);
  });
});

describe('run (emit, then the Nix build) on a terminal with NO_COLOR', () => {
  let ws: string;
  let metadataDir: string;
  let run: TerminalRun;
  const env = baseEnv({ NIX_CONFIG, NO_COLOR: '1' });

  beforeAll(async () => {
    // A program of its own: steps no earlier run has put in the Nix store. Its build
    // script's run and the link are Nix's to build (build once compares the run); its
    // two compiles are taken.
    ws = tinyCrate(join(tempDir('rbn-cli-tty-crate-'), 'tiny'), {
      'src/main.rs': `fn main() {\n    println!("${randomBytes(8).toString('hex')}");\n}\n`,
      'build.rs': `// ${randomBytes(8).toString('hex')}\nfn main() {\n    println!("cargo:rerun-if-changed=build.rs");\n}\n`,
    });
    metadataDir = join(tempDir('rbn-cli-tty-meta-'), 'meta');
    run = await onTerminal(
      [
        'run',
        ...quick(ws, metadataDir),
        '--command',
        `sh -c 'echo "the build sees NO_COLOR=[$NO_COLOR]" >&2; exec cargo build'`,
      ],
      env,
    );
  });

  test('exits 0, no colour from us, NO_COLOR passed to the build', () => {
    expect(run.status).toBe(0);
    expect(run.bytes).not.toContain(`${ESC}[3`);
    expect(run.bytes).not.toMatch(SGR);
    const lines = render(run.bytes).lines;
    expect(lines).toContain('the build sees NO_COLOR=[1]');
    // Nix found on PATH: the job-environment change that was once `::add-path::/usr/bin`.
    expect(lines).toContainEqual(expect.stringMatching(/^Using Nix .* \(found on PATH\)$/));
    expect(run.bytes).not.toMatch(WORKFLOW_COMMAND);
  });

  test('the Nix stage counts the steps built, taken and reused: the run built, the compiles taken', () => {
    expect(run.bytes).toMatch(/\r\[nix build\] 0\/\d+ steps · evaluating · \d+:\d\d/);
    // Build once's round, drawn as its one build (the build script's run) finishes…
    // (drawn over the last status, erased first or not).
    expect(run.bytes).toMatch(
      new RegExp(`\\r(?:${ESC}\\[K)?\\[nix build\\] 1/1 steps · 1 built · 0 reused`),
    );
    // …and the last build's count left as a line: that run and the link (target/debug/tiny)
    // built, the two compiles taken.
    const lines = expectCleanEnd(run.bytes);
    const [done, total, built, taken, reused] = nixCount(lines) ?? [];
    expect({ done, total, built, taken, reused }).toEqual({
      done: 4,
      total: 4,
      built: 2,
      taken: 2,
      reused: 0,
    });
  });

  test('build again: every step reused', async () => {
    const again = await onTerminal(
      ['build', ...quick(ws, metadataDir), '--metadata-digest', metadataDigest(metadataDir)],
      env,
    );
    expect(again.status).toBe(0);
    const [done, total, built, taken, reused] = nixCount(expectCleanEnd(again.bytes)) ?? [];
    expect(total).toBe(4);
    expect({ done, built, taken, reused }).toEqual({ done: 4, built: 0, taken: 0, reused: 4 });
  });
});

describe('help and usage', () => {
  test.each(['emit', 'build', 'run'])(
    '%s --help: its inputs, described, with defaults',
    async (sub) => {
      const r = await capture(process.execPath, [CLI, sub, '--help'], {
        cwd: tempDir('rbn-cli-help-'),
        env: baseEnv(),
      });
      expect(r.status).toBe(0);
      const help = r.stdout.toString('utf8');
      expect(help).toContain(`Usage: rust-bootstrap-nix ${sub} `);
      expect(help).toMatch(/--source-dir <value> {2}\(default: \.\)\n {6}Tree to build/);
      expect(help).toContain('--install-nix <value>  (default: auto)');
      expect(r.stderr).toBe('');
    },
  );

  test('a usage error on a terminal: exit 2, the flag named, the usage', async () => {
    const r = await onTerminal(['emit', '--no-such-flag', 'x'], baseEnv());
    expect(r.status).toBe(2);
    expect(r.bytes).toContain("rust-bootstrap-nix: unknown option '--no-such-flag'");
    expect(r.bytes).toContain('Usage: rust-bootstrap-nix <emit|build|run|publish>');
    expect(r.bytes).not.toContain(`${ESC}[`);
  });
});
