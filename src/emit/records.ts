// invocations.jsonl's records (metadata/dir.ts writes them): one schema-valid
// record per recorded call, in start order.

import type { InvocationRecord } from '../types.js';
import type { Redactor } from '../util/secrets.js';
import type { Analyzed } from './analyze.js';
import { durationMs } from './raw.js';

const RECORD_SCHEMA_VERSION = 1;

export function toRecords(
  items: readonly Analyzed[],
  redactor: Redactor,
  emitStartUs: number,
): InvocationRecord[] {
  return items.map((a) => {
    const r: InvocationRecord = {
      schema_version: RECORD_SCHEMA_VERSION,
      id: a.id,
      type: a.type,
      command: a.command,
      args: a.args,
      env: redactor.env(a.recorded.env, new Set(a.envDeps)),
      cwd: a.recorded.cwd,
      deps: a.deps,
      outputs: a.outputs,
      exit_code: a.raw.exitCode,
      duration_ms: durationMs(a.raw),
      start_ms: Math.max(0, Math.round((a.raw.startUs - emitStartUs) / 1000)),
    };
    if (a.probe) r.probe = true;
    if (a.parent) r.parent = a.parent;
    // Every string scrubbed (arguments, paths, env values): the flake is made from these.
    return redactor.deep(r);
  });
}
