// The action's host: the Log, step state and job environment of a job step,
// through @actions/core (groups, ::error::, masks; STATE_*, GITHUB_PATH,
// GITHUB_ENV). Its own module so that the post step loads it without the pipeline.
import * as core from '@actions/core';
import type { JobEnvironment, StepState } from './host.js';
import type { Log } from './log.js';

export function actionLog(): Log {
  const masked = new Set<string>();
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    group: (title, fn) => core.group(title, fn),
    progress: () => {}, // the build's own output is the progress in a job log
    mask: (v) => {
      if (!v || masked.has(v)) return;
      masked.add(v);
      core.setSecret(v);
    },
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
