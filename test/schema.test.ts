// The JSON Schemas kept in the repository: versioned, strict, and the ones
// the bundle ships. The pipeline's own files are validated in emit-*.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemaPath, validate } from '../src/metadata/schema.js';
import type { InvocationRecord, Plan } from '../src/types.js';
import { REPO_ROOT } from './support/workspace.js';

const record = (over: Partial<InvocationRecord> & Record<string, unknown> = {}) => ({
  schema_version: 1,
  id: 'corelib-lib-263e90f9c0c7a2cd',
  type: 'rust_compiler_invocation',
  command: '/usr/bin/rustc',
  args: ['--crate-name', 'corelib', 'src/lib.rs'],
  env: { CARGO_PKG_NAME: 'corelib' },
  cwd: '/w',
  deps: [],
  outputs: ['/w/target/debug/deps/libcorelib-263e90f9c0c7a2cd.rlib'],
  exit_code: 0,
  duration_ms: 12,
  start_ms: 3,
  ...over,
});

const plan = (over: Partial<Plan> & Record<string, unknown> = {}) => ({
  schema_version: 1,
  source_dir: '/w',
  target_dirs: ['/w/target'],
  roots: [{ name: 'w', path: '/w' }],
  toolchain: {
    rustc: '/r/bin/rustc',
    cargo: '/r/bin/cargo',
    sysroot: '/r',
    version: 'rustc 1.95.0',
  },
  steps: [
    {
      id: 'corelib-lib-1',
      type: 'rust_compiler_invocation',
      crate: 'corelib',
      kind: 'lib',
      deps: [],
      outputs: ['/w/target/debug/deps/libcorelib-1.rlib'],
      sources: ['/w/corelib/src/lib.rs'],
      env_deps: [],
      cwd: '/w',
      duration_ms: 5,
      exit_code: 0,
    },
  ],
  artifacts: [],
  ...over,
});

test('the schemas are valid JSON Schema 2020-12, compile under strict mode and name their version', () => {
  for (const name of ['record', 'plan'] as const) {
    const schema = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(String(schema.$id)).toMatch(new RegExp(`${name}\\.v1\\.schema\\.json$`));
    expect(schema.required).toContain('schema_version');
    expect(() => new Ajv2020({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
  }
});

test('the bundle ships the same schemas', () => {
  for (const name of ['record', 'plan'])
    expect(
      readFileSync(join(REPO_ROOT, 'dist/assets/schema', `${name}.v1.schema.json`), 'utf8'),
    ).toBe(readFileSync(join(REPO_ROOT, 'src/assets/schema', `${name}.v1.schema.json`), 'utf8'));
});

describe('a record', () => {
  test('valid: a compile, a probe with its parent, a cargo call, a killed call', () => {
    expect(validate('record', record())).toEqual([]);
    expect(
      validate(
        'record',
        record({ id: 'probe-1', probe: true, parent: 'corelib-run-1', outputs: [] }),
      ),
    ).toEqual([]);
    expect(
      validate('record', record({ id: 'cargo-1', type: 'cargo_invocation', args: ['build'] })),
    ).toEqual([]);
    expect(validate('record', record({ exit_code: null }))).toEqual([]);
  });

  test.each([
    'type',
    'command',
    'args',
    'env',
    'cwd',
    'id',
    'deps',
    'outputs',
    'exit_code',
    'duration_ms',
    'schema_version',
  ])('the seed field %s is required', (field) => {
    const r = record() as Record<string, unknown>;
    delete r[field];
    expect(validate('record', r)).not.toEqual([]);
  });

  test.each([
    ['another schema version', { schema_version: 2 }],
    ['an unknown type', { type: 'linker_invocation' }],
    ['a relative cwd', { cwd: 'w' }],
    ['a non-string argument', { args: ['--x', 1] }],
    ['a non-string env value', { env: { A: 1 } }],
    ['an id that is no Nix attribute name', { id: '1 bad id' }],
    ['a negative duration', { duration_ms: -1 }],
    ['probe: false (it is absent or true)', { probe: false }],
    ['a probe that reads other steps', { probe: true, deps: ['x'] }],
    ['a cargo call marked as a probe', { type: 'cargo_invocation', probe: true }],
    ['an unknown field', { extra: 1 }],
    ['repeated deps', { deps: ['a', 'a'] }],
  ])('invalid: %s', (_what, over) => {
    expect(validate('record', record(over as Partial<InvocationRecord>))).not.toEqual([]);
  });
});

describe('a plan', () => {
  test('valid', () => {
    expect(validate('plan', plan())).toEqual([]);
  });

  test.each([
    ['a probe-like step type', { steps: [{ ...plan().steps[0]!, type: 'cargo_invocation' }] }],
    ['a step without sources', { steps: [{ ...plan().steps[0]!, sources: undefined }] }],
    ['a relative source dir', { source_dir: 'w' }],
    ['an unknown field', { extra: true }],
    ['another schema version', { schema_version: 2 }],
  ])('invalid: %s', (_what, over) => {
    const p = JSON.parse(JSON.stringify(plan(over as Partial<Plan>))) as unknown;
    expect(validate('plan', p)).not.toEqual([]);
  });
});
