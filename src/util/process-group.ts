// Child processes a cancellation can stop as a whole. Each one is spawned in
// a process group of its own (`detached: true`), so everything it starts
// (cargo, rustc, build scripts, python, nix's helpers) can be signalled at
// once, and only the host sees a terminal's Ctrl-C. On abort the group gets
// SIGTERM, then SIGKILL after a grace period; the caller is told once nothing
// of the group runs any more, so no build script still runs while the
// recorder puts the target dir back.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** SIGTERM to SIGKILL. The Actions runner sends SIGTERM 7.5 s after its SIGINT, and kills 2.5 s later. */
export const GRACE_MS = 3000;
/** How long to wait for a SIGKILLed group to go (it cannot refuse; this only bounds a stuck kernel wait). */
const KILL_WAIT_MS = 3000;
const POLL_MS = 50;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Members of process group `pgid` that still run. Zombies do not count: a
 * member whose parent died is re-parented to PID 1, which in a container may
 * never reap it. Without /proc, any member (zombies included) counts.
 */
export function groupMembers(pgid: number): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const p of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[2]) === pgid)
      members.push(Number(p));
  }
  return members;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone already
  }
}

async function drained(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once no member runs. */
export async function stopGroup(pgid: number, graceMs = GRACE_MS): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await drained(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await drained(pgid, KILL_WAIT_MS);
}

function stopOnAbort(
  child: ChildProcess,
  signal: AbortSignal | undefined,
): { stopped: () => Promise<void> | null; dispose: () => void } {
  let stopping: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const onAbort = (): void => {
    const pid = child.pid;
    stopping = pid === undefined ? exited : Promise.all([stopGroup(pid), exited]).then(() => {});
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    stopped: () => stopping,
    dispose: () => signal?.removeEventListener('abort', onAbort),
  };
}

export interface ChildOutcome {
  /** The child ended on its own: its pipes are closed. */
  close(code: number | null, signal: NodeJS.Signals | null): void;
  /** It could not be spawned. */
  error(e: Error): void;
  /** An abort stopped it: neither it nor anything of its group runs any more. */
  aborted(reason: unknown): void;
}

/**
 * Ties a child spawned with `detached: true` (a group of its own) to
 * `signal` and reports how it ended, exactly once. After an abort it settles
 * when the whole group is gone, not when the pipes close: a process that
 * left the group (a daemon) may hold them open.
 */
export function watchChild(
  child: ChildProcess,
  signal: AbortSignal | undefined,
  on: ChildOutcome,
): void {
  const abort = stopOnAbort(child, signal);
  let settled = false;
  const settle = (finish: () => void): void => {
    if (settled) return;
    settled = true;
    abort.dispose();
    finish();
  };
  const settleAborted = (): boolean => {
    const stopped = abort.stopped();
    if (!stopped) return false;
    void stopped.then(() =>
      settle(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        on.aborted(signal?.reason);
      }),
    );
    return true;
  };
  child.on('error', (e) => settle(() => on.error(e)));
  child.on('exit', () => settleAborted());
  child.on('close', (code, exitSignal) => {
    if (settleAborted()) return;
    settle(() => on.close(code, exitSignal));
  });
}
