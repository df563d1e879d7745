// What a run needs beyond well-formed inputs, checked before anything is
// written or built: the toolchain input's meaning, the program in `command`,
// and for mode `build` the earlier emit's metadata, read whole and checked
// against its schema. A problem is an InputError naming the input to fix.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { recorderDir } from '../emit/recorder.js';
import { readableFileProblem } from '../input-paths.js';
import { defaultCommand, InputError } from '../inputs.js';
import type { Log } from '../log.js';
import { validate } from '../schema.js';
import type { ToolchainSpec } from '../toolchain/spec.js';
import { checkMetadataTrust, type MetadataTrust } from '../trust/metadata-trust.js';
import { sourceGateFor } from '../trust/source-gate.js';
import { checkEarlierEmit } from '../trust/untrusted-metadata.js';
import type { Inputs, InvocationRecord, Plan } from '../types.js';
import { isExecutableFile, whichIn } from '../util/which.js';
import { parseToolchainInput } from './toolchain.js';

export interface EarlierEmit {
  records: InvocationRecord[];
  plan: Plan;
  /** Its digest, and whether metadata-digest verified it (trust/metadata-trust.ts). */
  trust: MetadataTrust;
}

export interface Preflight {
  /** null in mode build: nothing is run but Nix. */
  spec: ToolchainSpec | null;
  command: string[];
  earlier: EarlierEmit | null;
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

/** JSON of one file, or an InputError saying where it stops being JSON (in the file's terms, not the parser's). */
function parseJson(file: string, text: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /at position (\d+)/.exec((e as Error).message);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset);
    const row = (line ?? 1) + (before.match(/\n/g)?.length ?? 0);
    const column = offset - before.lastIndexOf('\n');
    const where = at ? `line ${row}, column ${column}` : `its end (line ${row}): it is cut short`;
    throw damaged(file, `is not valid JSON at ${where}`);
  }
}

function readText(file: string): string {
  const problem = readableFileProblem(file);
  if (problem) throw damaged(file, problem);
  return readFileSync(file, 'utf8');
}

/** An earlier emit's metadata, whole and valid, or an InputError naming metadata-dir. */
export function readEarlierEmit(dir: string): Omit<EarlierEmit, 'trust'> {
  const planPath = join(dir, 'plan.json');
  const recordsPath = join(dir, 'invocations.jsonl');
  if (!existsSync(planPath))
    throw new InputError(
      'metadata-dir',
      `${dir} holds no plan.json; run with mode 'emit' (or 'emit-then-build') first, or point metadata-dir at an earlier emit.`,
    );
  if (!existsSync(recordsPath))
    throw damaged(recordsPath, 'is missing beside plan.json (an emit writes both)');
  const plan = parseJson(planPath, readText(planPath));
  const planProblems = validate('plan', plan);
  if (planProblems.length > 0)
    throw damaged(planPath, `does not match its schema (${planProblems[0]})`);
  const records: InvocationRecord[] = [];
  for (const [i, line] of readText(recordsPath).split('\n').entries()) {
    if (!line.trim()) continue;
    const record = parseJson(recordsPath, line, i + 1);
    const problems = validate('record', record);
    if (problems.length > 0)
      throw damaged(recordsPath, `line ${i + 1} does not match its schema (${problems[0]})`);
    records.push(record as InvocationRecord);
  }
  const ids = new Set(records.map((r) => r.id));
  const missing = (plan as Plan).steps.find((s) => s.type !== 'link' && !ids.has(s.id));
  if (missing)
    throw damaged(
      recordsPath,
      `has no record of plan step ${missing.id} (plan.json is from another emit)`,
    );
  return { records, plan: plan as Plan };
}

/**
 * Mode build's earlier emit: read whole, its integrity checked (or the
 * user's opt-in), then confined (trust/untrusted-metadata.ts), before
 * anything of it is copied or built. `publishing`: the run will publish it.
 */
function trustedEarlierEmit(
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

export function preflight(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  log: Log,
  publishing = inputs.publish,
): Preflight {
  if (inputs.mode === 'build')
    return {
      spec: null,
      command: [],
      earlier: trustedEarlierEmit(inputs, env, log, publishing),
    };
  const spec = parseToolchainInput(inputs, log);
  const command = inputs.command ?? defaultCommand(inputs.sourceDir);
  if (!findProgram(command[0]!, inputs.sourceDir, env))
    throw new InputError(
      'command',
      `program '${command[0]}' was not found ${command[0]!.includes('/') ? `(or is not executable) relative to ${inputs.sourceDir}` : 'on PATH'}; install it or give its full path.`,
    );
  return { spec, command, earlier: null };
}
