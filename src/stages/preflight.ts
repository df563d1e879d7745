// What a run needs beyond well-formed inputs, checked before anything is
// written or built: the toolchain input's meaning, the program in `command`,
// and for mode `build` the earlier emit's metadata, read whole and checked
// against its schema. A problem is an InputError naming the input to fix.
import { delimiter, resolve } from 'node:path';
import { recorderDir } from '../emit/recorder.js';
import { defaultCommand, InputError } from '../inputs.js';
import type { Log } from '../log.js';
import { MetadataProblem, metadataPath, readRecordsAndPlan } from '../metadata/dir.js';
import { parseToolchainInput } from '../toolchain/realise.js';
import type { ToolchainSpec } from '../toolchain/spec.js';
import { checkMetadataTrust, type MetadataTrust } from '../trust/metadata-trust.js';
import { sourceGateFor } from '../trust/source-gate.js';
import { checkEarlierEmit } from '../trust/untrusted-metadata.js';
import type { Inputs, InvocationRecord, Plan } from '../types.js';
import { isExecutableFile, whichIn } from '../util/which.js';

export interface EarlierEmit {
  records: InvocationRecord[];
  plan: Plan;
  /** Its digest, and whether metadata-digest verified it (trust/metadata-trust.ts). */
  trust: MetadataTrust;
}

/** A run that builds itself (modes emit and emit-then-build): what it runs. */
export interface FreshRun {
  spec: ToolchainSpec;
  command: string[];
}

/** Whether the build's program can run: a path (relative to cwd), or a name on PATH or among the recorder's shims. */
function findProgram(program: string, cwd: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes('/')) return isExecutableFile(resolve(cwd, program));
  return whichIn(program, { PATH: [recorderDir(), env.PATH ?? ''].join(delimiter) }) !== null;
}

function damaged(file: string, what: string): InputError {
  return new InputError(
    'metadata-dir',
    `${file} ${what}; it was not written by an emit of this version, or was damaged since. Run mode 'emit' (or 'emit-then-build') again.`,
  );
}

/** An earlier emit's metadata, whole and valid, or an InputError naming metadata-dir. */
export function readEarlierEmit(dir: string): Omit<EarlierEmit, 'trust'> {
  try {
    return readRecordsAndPlan(dir);
  } catch (e) {
    if (!(e instanceof MetadataProblem)) throw e;
    if (e.kind === 'missing' && e.file === metadataPath(dir, 'plan'))
      throw new InputError(
        'metadata-dir',
        `${dir} holds no plan.json; run with mode 'emit' (or 'emit-then-build') first, or point metadata-dir at an earlier emit.`,
      );
    throw damaged(e.file, e.what);
  }
}

/**
 * Mode build's earlier emit: read whole, its integrity checked (or the
 * user's opt-in), then confined (trust/untrusted-metadata.ts), before
 * anything of it is copied or built. `publishing`: the run will publish it.
 */
export function preflightEarlier(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  log: Log,
  publishing: boolean,
): EarlierEmit {
  const { records, plan } = readEarlierEmit(inputs.metadataDir);
  const trust = checkMetadataTrust({ ...inputs, publish: publishing });
  if (!trust.verified)
    log.warning(
      `Building ${inputs.metadataDir} unverified (trust-metadata: ${inputs.trustMetadata}): no metadata-digest vouches for it.`,
    );
  checkEarlierEmit(
    inputs.metadataDir,
    plan,
    records,
    sourceGateFor(inputs, env, () => null),
    env,
  );
  return { records, plan, trust };
}

/** Modes emit and emit-then-build: the toolchain input's meaning, and the command's program found. */
export function preflightFresh(inputs: Inputs, env: NodeJS.ProcessEnv, log: Log): FreshRun {
  const spec = parseToolchainInput(inputs, log);
  const command = inputs.command ?? defaultCommand(inputs.sourceDir);
  if (!findProgram(command[0]!, inputs.sourceDir, env))
    throw new InputError(
      'command',
      `program '${command[0]}' was not found ${command[0]!.includes('/') ? `(or is not executable) relative to ${inputs.sourceDir}` : 'on PATH'}; install it or give its full path.`,
    );
  return { spec, command };
}

/** Whichever of the two the mode asks for (the pipeline's modes call the one they need). */
export function preflight(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  log: Log,
  publishing = inputs.publish,
): FreshRun | EarlierEmit {
  return inputs.mode === 'build'
    ? preflightEarlier(inputs, env, log, publishing)
    : preflightFresh(inputs, env, log);
}
