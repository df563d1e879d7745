// Cancellation, as the stages see it: the host turns SIGINT/SIGTERM into an
// aborted AbortSignal whose reason is an Interrupted; the pipeline turns an
// abort into a CancelledError that names the signal and the stage it stopped.

export type CancelSignal = 'SIGINT' | 'SIGTERM';

/** The reason of an aborted pipeline signal. */
export class Interrupted extends Error {
  constructor(readonly signal: CancelSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'AbortError';
  }
}

/** The signal that aborted `signal` (SIGTERM when the reason is not ours). */
export function abortSignalName(signal: AbortSignal): CancelSignal {
  return signal.reason instanceof Interrupted ? signal.reason.signal : 'SIGTERM';
}

/** What the pipeline throws once a cancelled run has cleaned up after itself. */
export class CancelledError extends Error {
  /** summary.md as written for the cancellation (the action's job summary too). */
  summary: string | null = null;

  constructor(
    readonly signal: CancelSignal,
    /** What the run was doing, e.g. `the Nix build`. */
    readonly stage: string,
    /** What was put right, e.g. `the target dir is as cargo left it`. */
    readonly cleaned: readonly string[],
  ) {
    super(
      `Cancelled (${signal}) while ${stage}; cleaned up: ${cleaned.length ? cleaned.join(', ') : 'nothing was left to undo'}.`,
    );
    this.name = 'CancelledError';
  }
}

/** The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). */
export function exitCodeFor(signal: CancelSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}
