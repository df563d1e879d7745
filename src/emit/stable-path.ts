// One fixed path to run a rust-lang/rust build under, wherever the tree is.
// Cargo hashes the absolute path of a path dependency outside its workspace
// into `-C metadata` (bootstrap's build_helper, outside src/bootstrap), so
// the same tree at two places gives bootstrap binaries of different bytes,
// and everything that runs them differs too. Run through a symlink at a
// fixed place, bootstrap.py (which takes paths as given, never resolved)
// hands cargo the same paths everywhere. Held by one emit at a time: a lock
// dir names its process, and one left by a dead process is taken over.
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../util/pid.js';

export const STABLE_PATH = '/tmp/rust-bootstrap-nix-src';

export interface StablePath {
  /** The fixed path, a symlink to the tree while held. */
  path: string;
  release(): void;
}

/** The fixed path pointed at `dir`, or null when another live emit holds it (or it cannot be made). */
export function acquireStablePath(dir: string, path = STABLE_PATH): StablePath | null {
  const lock = `${path}.lock`;
  try {
    mkdirSync(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // a lock without its pid file: its holder died between the two writes
    }
    if (Number.isInteger(holder) && alive(holder)) return null;
    rmSync(lock, { recursive: true, force: true });
    try {
      mkdirSync(lock);
    } catch {
      return null; // another emit took it over first
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    const tmp = `${path}.${process.pid}`;
    rmSync(tmp, { force: true });
    symlinkSync(dir, tmp);
    renameSync(tmp, path); // replaces a symlink left by a killed emit
  } catch {
    rmSync(lock, { recursive: true, force: true });
    return null;
  }
  let held = true;
  return {
    path,
    // Once only: a second call must not remove what another emit holds by then.
    release: () => {
      if (!held) return;
      held = false;
      rmSync(path, { force: true });
      rmSync(lock, { recursive: true, force: true });
    },
  };
}
