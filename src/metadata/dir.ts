// metadata-dir, the run's saved format (SPEC.md "What metadata-dir holds"):
// every file name, the one writer of each file, and the one validated
// reader of the records and the plan (mode build's earlier emit, the plan
// kept for the next run). Nothing else joins a name onto metadata-dir.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationRecord, Plan } from '../types.js';
import { readableFileProblem } from '../util/input-paths.js';
import { validate } from './schema.js';

/** The names inside metadata-dir. */
export const METADATA_FILES = {
  config: 'config.toml',
  records: 'invocations.jsonl',
  plan: 'plan.json',
  summary: 'summary.md',
  /** The generated flake's directory. */
  flake: 'flake',
  /** x.py's build dir (never uploaded: the artifact leaves it out). */
  xpyBuild: 'x.py-build',
} as const;

export type MetadataFile = keyof typeof METADATA_FILES;

export function metadataPath(dir: string, file: MetadataFile): string {
  return join(dir, METADATA_FILES[file]);
}

/** invocations.jsonl's text: one record a line. */
export function toJsonl(records: readonly InvocationRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** The records and the plan, the two files a flake is generated from. */
export function writeRecordsAndPlan(
  dir: string,
  records: readonly InvocationRecord[],
  plan: Plan,
): void {
  writeFileSync(metadataPath(dir, 'records'), toJsonl(records));
  writeFileSync(metadataPath(dir, 'plan'), `${JSON.stringify(plan, null, 2)}\n`);
}

/** The composed config.toml: the run's first write (metadata-dir made here). Returns its path. */
export function writeConfigToml(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = metadataPath(dir, 'config');
  writeFileSync(path, text);
  return path;
}

/** An earlier emit's config.toml, or '' when it left none. */
export function readConfigToml(dir: string): string {
  const path = metadataPath(dir, 'config');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** summary.md; `make`: metadata-dir made first when missing (else a missing one throws). */
export function writeSummary(dir: string, text: string, make = false): void {
  if (make) mkdirSync(dir, { recursive: true });
  writeFileSync(metadataPath(dir, 'summary'), text);
}

/** Why the records and plan could not be taken: `file` is the path, `what` finishes the sentence. */
export class MetadataProblem extends Error {
  constructor(
    readonly file: string,
    readonly kind: 'missing' | 'unreadable' | 'schema' | 'mismatch',
    readonly what: string,
  ) {
    super(`${file} ${what}`);
  }
}

/** JSON of one file, or a MetadataProblem saying where it stops being JSON (in the file's terms, not the parser's). */
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
    throw new MetadataProblem(file, 'unreadable', `is not valid JSON at ${where}`);
  }
}

function readText(file: string): string {
  const problem = readableFileProblem(file);
  if (problem) throw new MetadataProblem(file, 'unreadable', problem);
  return readFileSync(file, 'utf8');
}

/**
 * The records and plan of `dir`, whole and valid (each against its schema,
 * every plan step with its record), or a MetadataProblem. Never a partial result.
 */
export function readRecordsAndPlan(dir: string): { records: InvocationRecord[]; plan: Plan } {
  const planPath = metadataPath(dir, 'plan');
  const recordsPath = metadataPath(dir, 'records');
  if (!existsSync(planPath)) throw new MetadataProblem(planPath, 'missing', 'does not exist');
  if (!existsSync(recordsPath))
    throw new MetadataProblem(
      recordsPath,
      'missing',
      'is missing beside plan.json (an emit writes both)',
    );
  const plan = parseJson(planPath, readText(planPath));
  const planProblems = validate('plan', plan);
  if (planProblems.length > 0)
    throw new MetadataProblem(planPath, 'schema', `does not match its schema (${planProblems[0]})`);
  const records: InvocationRecord[] = [];
  for (const [i, line] of readText(recordsPath).split('\n').entries()) {
    if (!line.trim()) continue;
    const record = parseJson(recordsPath, line, i + 1);
    const problems = validate('record', record);
    if (problems.length > 0)
      throw new MetadataProblem(
        recordsPath,
        'schema',
        `line ${i + 1} does not match its schema (${problems[0]})`,
      );
    records.push(record as InvocationRecord);
  }
  const ids = new Set(records.map((r) => r.id));
  const missing = (plan as Plan).steps.find((s) => s.type !== 'link' && !ids.has(s.id));
  if (missing)
    throw new MetadataProblem(
      recordsPath,
      'mismatch',
      `has no record of plan step ${missing.id} (plan.json is from another emit)`,
    );
  return { records, plan: plan as Plan };
}
