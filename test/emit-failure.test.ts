// A failing compile fails the step with one ::error:: naming the crate and
// rustc's first error line; the records up to it are kept and valid; exit 1.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../src/metadata/schema.js';
import {
  ActionJob,
  EMIT_ONLY,
  expectExit,
  type Metadata,
  readMetadataDir,
  rustcOption,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { copyFixture, filesContaining, removeTempDirs } from './support/workspace.js';

afterAll(removeTempDirs);

const PLANTED = `planted failure ${randomBytes(4).toString('hex')}`;
const TOKEN = `ghs_${randomBytes(20).toString('hex')}`;

let run: StepRun;
let meta: Metadata;

beforeAll(async () => {
  const ws = copyFixture();
  appendFileSync(join(ws, 'corelib/src/text.rs'), `\ncompile_error!("${PLANTED}");\n`);
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...EMIT_ONLY },
    githubToken: TOKEN,
    merged: true,
  });
  run = await job.main();
  meta = readMetadataDir(join(job.runnerTemp, 'rust-bootstrap-nix'));
});

test('exits 1 with exactly one ::error:: naming the crate and rustc’s first error line', () => {
  expectExit(run, 1);
  const errors = workflowCommands(run.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('corelib');
  expect(errors[0]).toContain(`error: ${PLANTED}`);
  // rustc's own summary lines are not the first error.
  expect(errors[0]).not.toMatch(/could not compile|aborting due to/);
});

test('the records up to the failure are kept, and every one is valid', () => {
  expect(meta.records.length).toBeGreaterThan(10);
  for (const r of meta.records) expect(validate('record', r)).toEqual([]);
  expect(validate('plan', meta.plan)).toEqual([]);
  const starts = meta.records.map((r) => r.start_ms ?? -1);
  for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThanOrEqual(starts[i - 1]!);
});

test('the failing compile is recorded with a non-zero exit code', () => {
  const failed = meta.records.filter(
    (r) => r.type === 'rust_compiler_invocation' && r.probe !== true && r.exit_code !== 0,
  );
  expect(failed.map((r) => rustcOption(r.args, '--crate-name')[0])).toEqual(['corelib']);
  expect(failed[0]!.exit_code).not.toBeNull();
  const step = meta.plan.steps.find((s) => s.id === failed[0]!.id);
  expect(step?.exit_code).toBe(failed[0]!.exit_code);
  // The cargo call that ran it failed too.
  const cargo = meta.records.filter((r) => r.type === 'cargo_invocation');
  expect(cargo.map((r) => r.exit_code)).toEqual([101]);
});

test('the summary reports the failure; the outputs still describe what was written', () => {
  const summary = readFileSync(join(meta.dir, 'summary.md'), 'utf8');
  expect(summary).toContain('failed');
  expect(summary).toContain(PLANTED);
  expect(summary).toContain('### Failures');
  expect(run.outputs.invocations).toBe(String(meta.records.length));
  expect(existsSync(run.outputs.plan!)).toBe(true);
  expect(filesContaining(meta.dir, [TOKEN])).toEqual([]);
});
