// Runs a program (never through a shell), streaming its output and keeping
// the tail, so a failure can be reported with the program's own words. The
// program runs in a process group of its own: an abort stops all of it.
import { spawn } from 'node:child_process';
import { watchChild } from './process-group.js';

export interface StreamedRun {
  exitCode: number;
  signal: NodeJS.Signals | null;
  /** The last part of the combined output (for error extraction). */
  tail: string;
  pid: number | null;
}

const TAIL_BYTES = 256 * 1024;

export interface StreamOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** The message when the program does not exist. */
  notFound: (program: string) => string;
  /**
   * On abort the program's process group is stopped (SIGTERM, then SIGKILL)
   * and the promise rejects with the signal's reason once none of it runs.
   */
  signal?: AbortSignal;
}

export function runStreaming(argv: readonly string[], opts: StreamOptions): Promise<StreamedRun> {
  const { cwd, env, onOutput, signal } = opts;
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const [program, ...args] = argv;
    const child = spawn(program!, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', (c: Buffer) => {
      keep(c);
      onOutput(c, 'stdout');
    });
    child.stderr.on('data', (c: Buffer) => {
      keep(c);
      onOutput(c, 'stderr');
    });
    watchChild(child, signal, {
      close: (code, exitSignal) =>
        resolvePromise({ exitCode: code ?? 1, signal: exitSignal, tail, pid: child.pid ?? null }),
      error: (e: NodeJS.ErrnoException) =>
        reject(e.code === 'ENOENT' ? new Error(opts.notFound(program!)) : e),
      aborted: reject,
    });
  });
}
