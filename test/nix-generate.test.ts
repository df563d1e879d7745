// mode: build regenerates the flake from metadata-dir alone: a source whose
// recorded path is gone (an uploaded metadata-dir, a cleaned workspace) comes
// from the previous flake's copy, and only when there is none is it an error.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFlake } from '../src/nix/generate.js';
import { offlineTools } from '../src/nix/tools.js';
import type { InvocationRecord, Plan } from '../src/types.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(() => removeTempDirs());

function onePlan(ws: string): { plan: Plan; records: InvocationRecord[] } {
  const id = 'demo-lib-0123456789abcdef';
  const outputs = [`${ws}/target/debug/deps/libdemo-0123456789abcdef.rlib`];
  const plan: Plan = {
    schema_version: 1,
    source_dir: ws,
    target_dirs: [`${ws}/target`],
    roots: [{ name: 'w', path: ws }],
    toolchain: {
      rustc: '/opt/rust/bin/rustc',
      cargo: '/opt/rust/bin/cargo',
      sysroot: '/opt/rust',
      version: '1.95.0',
    },
    steps: [
      {
        id,
        type: 'rust_compiler_invocation',
        crate: 'demo',
        kind: 'lib',
        deps: [],
        outputs,
        sources: [`${ws}/src/lib.rs`],
        env_deps: [],
        cwd: ws,
        duration_ms: 1,
        exit_code: 0,
      },
    ],
    artifacts: [],
  };
  const records: InvocationRecord[] = [
    {
      schema_version: 1,
      id,
      type: 'rust_compiler_invocation',
      command: '/opt/rust/bin/rustc',
      args: ['--crate-name', 'demo', 'src/lib.rs'],
      env: {},
      cwd: ws,
      deps: [],
      outputs,
      exit_code: 0,
      duration_ms: 1,
      start_ms: 0,
    },
  ];
  return { plan, records };
}

test('a regenerated flake takes a vanished source from its previous copy; without one it names the file', () => {
  const base = tempDir('rbn-gen-');
  const ws = join(base, 'ws');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() -> u32 { 7 }\n');
  const { plan, records } = onePlan(ws);
  const flakeDir = join(base, 'md', 'flake');
  const tools = offlineTools('/nix/store/00000000000000000000000000000000-rust');
  generateFlake({ plan, records, flakeDir, tools });

  rmSync(ws, { recursive: true, force: true });
  generateFlake({ plan, records, flakeDir, tools });
  expect(readFileSync(join(flakeDir, 'sources', 'w', 'src', 'lib.rs'), 'utf8')).toBe(
    'pub fn demo() -> u32 { 7 }\n',
  );
  expect(readFileSync(join(flakeDir, 'steps.nix'), 'utf8')).toContain('"w/src/lib.rs"');

  rmSync(flakeDir, { recursive: true, force: true });
  expect(() => generateFlake({ plan, records, flakeDir, tools })).toThrow(/src\/lib\.rs is gone/);
});
