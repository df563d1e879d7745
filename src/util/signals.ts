// The hosts' side of cancellation (a cancelled job, a timeout, Ctrl-C): the
// first SIGINT or SIGTERM aborts the pipeline's signal; the running stage
// stops its processes and puts back what it changed, and the host reports
// one error. Only the hosts install these handlers; stages see the signal.
import { type CancelSignal, Interrupted } from './cancel.js';

/** How long the cleanup after a signal may take before the host exits anyway. */
export const CLEANUP_TIMEOUT_MS = 30_000;

/** The host's one error line when the cleanup timed out. */
export function cleanupTimedOut(sig: CancelSignal): string {
  return `Cancelled (${sig}); stopping took longer than ${CLEANUP_TIMEOUT_MS / 1000} s (a step that cannot be interrupted, such as a cache transfer, was still running), so the run exits now; the next emit in this tree cleans up whatever is left.`;
}

export interface SignalWatch {
  signal: AbortSignal;
  /** Removes the handlers (and the cleanup timer). */
  dispose(): void;
}

/**
 * A second signal while cleaning up does not cut the cleanup short: it is
 * noted and ignored. The Actions runner sends SIGINT, SIGTERM 7.5 s later and
 * kills 2.5 s after that; a cleanup takes a few seconds (the build's process
 * group gets SIGTERM, SIGKILL after 3 s, then files are moved back). Should
 * the cleanup not be done within CLEANUP_TIMEOUT_MS, `onTimeout` runs (the
 * host says so and exits); the next emit then cleans up what was left, as it
 * does after a SIGKILL.
 */
export function watchSignals(opts: {
  note: (message: string) => void;
  onTimeout: (signal: CancelSignal) => void;
}): SignalWatch {
  const controller = new AbortController();
  let first: CancelSignal | null = null;
  let timer: NodeJS.Timeout | null = null;
  const received = (sig: CancelSignal): void => {
    if (first) {
      opts.note(`${sig} received while cleaning up after ${first}: finishing the cleanup first.`);
      return;
    }
    first = sig;
    opts.note(`${sig} received: stopping the build and cleaning up.`);
    timer = setTimeout(() => opts.onTimeout(sig), CLEANUP_TIMEOUT_MS);
    timer.unref();
    controller.abort(new Interrupted(sig));
  };
  const onInt = (): void => received('SIGINT');
  const onTerm = (): void => received('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}
