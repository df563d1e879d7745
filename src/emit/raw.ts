// Reads the per-invocation files the recorder scripts wrote (see
// assets/recorder/record.sh for the format). One file per call means
// nothing here has to untangle concurrent writes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type RawKind = 'rustc' | 'build-script' | 'probe' | 'cargo';

export interface RawInvocation {
  key: string; // file name without extension: unique per call
  kind: RawKind;
  startUs: number;
  endUs: number | null;
  exitCode: number | null;
  cwd: string;
  parentKey: string | null;
  argv: string[]; // argv[0] is the program the recorder ran
  env: Record<string, string>;
}

class RawRecordError extends Error {}

function splitNul(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

function parseRawRecord(key: string, rec: Buffer, end: Buffer | null): RawInvocation {
  const f = splitNul(rec);
  let i = 0;
  const next = (): string => {
    const v = f[i++];
    if (v === undefined) throw new RawRecordError(`record ${key} is truncated`);
    return v;
  };
  if (next() !== 'rbn1') throw new RawRecordError(`record ${key} has an unknown format`);
  const kind = next() as RawKind;
  const startUs = Number(next());
  const cwd = next();
  const parentKey = next() || null;
  const argc = Number(next());
  const argv: string[] = [];
  for (let a = 0; a < argc; a++) argv.push(next());
  const envc = Number(next());
  const env: Record<string, string> = {};
  for (let e = 0; e < envc; e++) {
    const kv = next();
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  let exitCode: number | null = null;
  let endUs: number | null = null;
  if (end) {
    const [rc, t] = splitNul(end);
    exitCode = Number(rc);
    endUs = Number(t);
  }
  return { key, kind, startUs, endUs, exitCode, cwd, parentKey, argv, env };
}

/** Wall time of a call in ms; 0 when it never finished (killed mid-build). */
export function durationMs(raw: RawInvocation): number {
  return raw.endUs === null ? 0 : Math.round((raw.endUs - raw.startUs) / 1000);
}

/** All calls recorded in `dir`, in start order. Unreadable files are reported, not fatal. */
export function readRawRecords(dir: string, onBad: (msg: string) => void): RawInvocation[] {
  const out: RawInvocation[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.rec')) continue;
    const key = name.slice(0, -4);
    let end: Buffer | null = null;
    try {
      end = readFileSync(join(dir, `${key}.end`));
    } catch {
      end = null; // killed before it finished: kept with exit_code null
    }
    try {
      out.push(parseRawRecord(key, readFileSync(join(dir, name)), end));
    } catch (e) {
      onBad((e as Error).message);
    }
  }
  return out.sort((a, b) => a.startUs - b.startUs || a.key.localeCompare(b.key));
}
