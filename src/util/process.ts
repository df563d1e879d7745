// Runs a program without a shell and captures its output. Nix and rustc calls go
// through here so errors carry the command and the tail of stderr.
import { spawn } from 'node:child_process';
import { watchChild } from './process-group.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin; chunks are written in turn, never joined (an import's are hundreds of MB). */
  input?: string | Buffer | readonly Buffer[];
  /** On abort the program (in a process group of its own) is stopped and the call rejects. */
  signal?: AbortSignal;
}

export function run(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: signal !== undefined,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    watchChild(child, signal, {
      close: (code) =>
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      error: reject,
      aborted: reject,
    });
    if (child.stdin) {
      // A program may exit before reading its input; that is its answer, not our error.
      child.stdin.on('error', () => {});
      const chunks =
        typeof opts.input === 'string' || Buffer.isBuffer(opts.input) ? [opts.input] : opts.input!;
      for (const c of chunks) child.stdin.write(c);
      child.stdin.end();
    }
  });
}

/** The last `n` non-empty lines of a program's stderr, for error messages. */
export function tail(text: string, n = 15): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

/** Runs and throws unless the exit status is 0. */
export async function runChecked(
  command: string,
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const r = await run(command, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${r.code ?? 'a signal'}:\n${tail(r.stderr)}`,
    );
  }
  return r;
}
