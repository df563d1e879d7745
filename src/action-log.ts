// The Log of a job step: @actions/core's groups, ::warning::, ::error:: and
// ::add-mask::. Its own module so that the post step loads it without the pipeline.
import * as core from '@actions/core';
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
