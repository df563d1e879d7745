// Recording still works when the build moves an existing RUSTC_WRAPPER aside
// the way x.py's bootstrap does: it unsets RUSTC_WRAPPER, passes it on as
// RUSTC_WRAPPER_REAL, and points RUSTC at its own rustc shim, which runs
// `$RUSTC_WRAPPER_REAL <real rustc> <args>` (src/bootstrap/src/bin/rustc.rs).
import { join } from 'node:path';
import { validate } from '../src/metadata/schema.js';
import {
  ActionJob,
  EMIT_ONLY,
  expectExit,
  readMetadataDir,
  recordUnitKey,
} from './support/run-action.js';
import {
  artifactKey,
  cargoBuildJson,
  removeTempDirs,
  runSync,
  tally,
  tempDir,
  tinyCrate,
  writeTree,
} from './support/workspace.js';

afterAll(removeTempDirs);

const BOOTSTRAP_LIKE = `#!/bin/sh
# What bootstrap does before it runs cargo: it takes cargo from [build] in
# the config RUST_BOOTSTRAP_CONFIG names (by absolute path, not from PATH),
# and moves the wrapper aside.
cargo=$(python3 -c 'import os, tomllib; print(tomllib.load(open(os.environ["RUST_BOOTSTRAP_CONFIG"], "rb"))["build"]["cargo"])')
export RUSTC_WRAPPER_REAL="$RUSTC_WRAPPER"
export RUSTC_REAL="$RUSTC"
unset RUSTC_WRAPPER
export RUSTC="$PWD/bootstrap-rustc"
exec "$cargo" build
`;

const BOOTSTRAP_RUSTC = `#!/bin/sh
# bootstrap's rustc shim: the real wrapper, if any, in front of the real rustc.
if [ -n "$RUSTC_WRAPPER_REAL" ]; then exec "$RUSTC_WRAPPER_REAL" "$RUSTC_REAL" "$@"; fi
exec "$RUSTC_REAL" "$@"
`;

test('every cargo call, unit, build script run and probe is recorded through RUSTC_WRAPPER_REAL', async () => {
  const root = tempDir('rbn-wrapper-real-');
  writeTree(join(root, 'dep'), {
    'Cargo.toml': '[package]\nname = "dep"\nversion = "0.1.0"\nedition = "2021"\n',
    'src/lib.rs': 'pub fn n() -> u32 { 7 }\n',
  });
  const ws = tinyCrate(join(root, 'tiny'), {
    'Cargo.toml':
      '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ndep = { path = "../dep" }\n',
    // A build script that asks $RUSTC for its version, as many real ones do.
    'build.rs':
      'fn main() {\n    let rustc = std::env::var("RUSTC").unwrap();\n    let v = std::process::Command::new(rustc).arg("--version").output().unwrap();\n    assert!(v.status.success());\n    println!("cargo:rerun-if-changed=build.rs");\n}\n',
    'src/main.rs': 'fn main() {\n    println!("{}", dep::n());\n}\n',
    'bootstrap-like': BOOTSTRAP_LIKE,
    'bootstrap-rustc': BOOTSTRAP_RUSTC,
  });
  const metadataDir = join(tempDir('rbn-wrapper-real-meta-'), 'meta');
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...EMIT_ONLY, command: './bootstrap-like', 'metadata-dir': metadataDir },
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 0);

  const meta = readMetadataDir(metadataDir);
  for (const r of meta.records) expect(validate('record', r)).toEqual([]);
  expect(validate('plan', meta.plan)).toEqual([]);
  const cargo = await cargoBuildJson(ws);
  expect(cargo.exitCode).toBe(0);
  expect(cargo.artifacts.length).toBeGreaterThan(0);
  expect(cargo.buildScripts.length).toBeGreaterThan(0);
  expect(
    tally(
      meta.records
        .filter((r) => r.type === 'rust_compiler_invocation' && r.probe !== true)
        .map(recordUnitKey),
    ),
  ).toEqual(tally(cargo.artifacts.map(artifactKey)));
  const runs = meta.records.filter((r) => r.type === 'build_script_run');
  expect(runs).toHaveLength(cargo.buildScripts.length);
  // The build script's own rustc call is a probe naming its run.
  const probes = meta.records.filter((r) => r.probe === true && r.args.includes('--version'));
  expect(probes.length).toBeGreaterThan(0);
  for (const p of probes) expect(p.parent).toBe(runs[0]!.id);
  // Compiles record the real rustc, not bootstrap's shim.
  const sysroot = runSync('rustc', ['--print', 'sysroot']).stdout.trim();
  for (const r of meta.records.filter((x) => x.type === 'rust_compiler_invocation' && !x.probe))
    expect(r.command).toBe(join(sysroot, 'bin', 'rustc'));
  // The cargo call bootstrap made by the config's absolute path is recorded, as the real cargo.
  const cargoCalls = meta.records.filter((r) => r.type === 'cargo_invocation');
  expect(cargoCalls.map((r) => [r.command, r.args])).toEqual([
    [join(sysroot, 'bin', 'cargo'), ['build']],
  ]);
  // The binary works.
  expect(runSync(join(ws, 'target/debug/tiny'), []).stdout).toBe('7\n');
});
