// The same pipeline outside GitHub: inputs from flags, a progress line on a
// terminal and plain lines otherwise. Exit 0 on success, 1 on a failed
// build, 2 on bad usage, 130 on SIGINT (Ctrl-C) and 143 on SIGTERM, once the
// run has cleaned up after itself.
import { abortSignalName, CancelledError, exitCodeFor } from './cancel.js';
import { memoryState, processEnvironment } from './host.js';
import { INPUT_DEFAULTS, InputError, type InputName, parseInputs } from './inputs.js';
import type { Log } from './log.js';
import { runPipeline } from './pipeline.js';
import { stopSccache } from './sccache/server.js';
import { cleanupTimedOut, watchSignals } from './signals.js';
import type { Mode } from './types.js';

const SUBCOMMANDS: Record<string, Mode> = { emit: 'emit', build: 'build', run: 'emit-then-build' };

export const USAGE = `Usage: rust-bootstrap-nix <emit|build|run> [--<input> value ...]

  emit   run the build once, recording every compiler invocation
  build  build an earlier emit's metadata-dir with Nix
  run    emit, then build

Inputs (as in action.yml): ${Object.keys(INPUT_DEFAULTS)
  .filter((n) => n !== 'mode')
  .map((n) => `--${n}`)
  .join(' ')}
`;

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): { mode: Mode; values: Map<InputName, string> } {
  const [sub, ...rest] = argv;
  if (!sub || !(sub in SUBCOMMANDS))
    throw new UsageError(sub ? `unknown command '${sub}'` : 'missing command');
  const values = new Map<InputName, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)) as InputName;
    if (!(name in INPUT_DEFAULTS) || name === 'mode')
      throw new UsageError(`unknown option '--${name}'`);
    const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    values.set(name, value);
  }
  return { mode: SUBCOMMANDS[sub]!, values };
}

/** A status line redrawn on a terminal; plain lines elsewhere. */
export function terminalLog(stream: NodeJS.WriteStream): Log & { clear(): void; redraw(): void } {
  const tty = stream.isTTY === true;
  let status = '';
  const clear = (): void => {
    if (tty && status) stream.write('\r\x1b[K');
  };
  const redraw = (): void => {
    if (tty && status) stream.write(`\r${status.slice(0, (stream.columns || 80) - 1)}`);
  };
  const line = (text: string): void => {
    clear();
    stream.write(`${text}\n`);
    redraw();
  };
  return {
    clear,
    redraw,
    info: (m) => line(m),
    warning: (m) => line(`warning: ${m}`),
    error: (m) => line(`error: ${m}`),
    group: async (title, fn) => {
      line(`==> ${title}`);
      return fn();
    },
    progress: (label, done, total) => {
      const text = `[${label}] ${done}${total ? `/${total}` : ''}`;
      if (tty) {
        clear();
        status = text;
        redraw();
      } else if (done % 25 === 0 && done > 0) {
        stream.write(`${text}\n`);
      }
    },
    mask: () => {}, // a terminal has no masking; what the pipeline prints is scrubbed instead
  };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = terminalLog(process.stderr);
  const errorLine = (message: string): void => {
    log.clear();
    process.stderr.write(`rust-bootstrap-nix: ${message}\n`);
  };
  const watch = watchSignals({
    note: (m) => log.info(m),
    onTimeout: (sig) => {
      errorLine(cleanupTimedOut(sig));
      process.exit(exitCodeFor(sig));
    },
  });
  try {
    const { mode, values } = parseArgs(argv);
    const inputs = parseInputs((name) => (name === 'mode' ? mode : values.get(name)), env);
    const result = await runPipeline(inputs, {
      log,
      env,
      state: memoryState(), // main and post in one process: nothing to hand over
      job: processEnvironment(env), // no later steps, and no workflow command on a terminal
      output: (chunk, stream) => {
        log.clear();
        (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
        log.redraw();
      },
      signal: watch.signal,
    });
    if (result.sccache) await stopSccache(result.sccache, log);
    if (watch.signal.aborted)
      throw new CancelledError(
        abortSignalName(watch.signal),
        'finishing',
        result.sccache ? ['sccache stopped'] : [],
      );
    log.clear();
    for (const [name, value] of Object.entries(result.outputs))
      process.stdout.write(`${name}=${value}\n`);
    if (result.failure) {
      log.error(result.failure);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof CancelledError) {
      errorLine(e.message);
      return exitCodeFor(e.signal);
    }
    log.clear();
    if (e instanceof UsageError) {
      process.stderr.write(`rust-bootstrap-nix: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`rust-bootstrap-nix: ${(e as Error).message}\n`);
    return e instanceof InputError ? 2 : 1;
  } finally {
    watch.dispose();
  }
}
