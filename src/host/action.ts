// The action's host: the Log, step state and job environment of a job step,
// through @actions/core (groups, ::error::, masks; STATE_*, GITHUB_PATH,
// GITHUB_ENV). Its own module so that the post step loads it without the pipeline.
import * as core from '@actions/core';
import type { Log } from '../log.js';
import type { JobEnvironment, StepState } from './ports.js';

/** `beforeLine`: runs before each line the log writes (the build may have left one open). */
export function actionLog(beforeLine: () => void = () => {}): Log {
  const masked = new Set<string>();
  const line =
    <A extends unknown[], R>(f: (...a: A) => R) =>
    (...a: A): R => {
      beforeLine();
      return f(...a);
    };
  return {
    info: line((m: string) => core.info(m)),
    warning: line((m: string) => core.warning(m)),
    error: line((m: string) => core.error(m)),
    group: line(<T>(title: string, fn: () => Promise<T>) => core.group(title, fn)),
    progress: () => {}, // the build's own output is the progress in a job log
    mask: line((v: string) => {
      if (!v || masked.has(v)) return;
      masked.add(v);
      core.setSecret(v);
    }),
  };
}

/**
 * The runner's step state. core.getState reads only the STATE_* variables the
 * runner gave this step, so what this step saved is remembered here too.
 */
export function actionState(): StepState {
  const savedHere = new Map<string, string>();
  return {
    save: (name, value) => {
      savedHere.set(name, value);
      core.saveState(name, value);
    },
    load: (name) => savedHere.get(name) ?? (core.getState(name) || null),
  };
}

export function actionEnvironment(): JobEnvironment {
  return {
    addPath: (dir) => core.addPath(dir),
    exportVariable: (name, value) => core.exportVariable(name, value),
  };
}
