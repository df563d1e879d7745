// Issue 21: every step builds under Nix's default sandbox, as on a runner.
// The action run as the runner runs it (dist/main.js, INPUT_*, the GITHUB_*
// files), `toolchain: system`, real cargo and Nix with `sandbox = true`.
//
//   - a build script that reads a file of the tree by its host path without
//     telling cargo: cargo's build reads it, the sandbox does not have it, and
//     the one `::error::` names the step and the file, in plain text;
//   - the host directories bound into the sandbox hold the tools, never the
//     places an undeclared read would find a user's or a registry's files;
//   - a failure's text keeps no terminal escape sequence.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostSandboxPaths } from '../src/nix/tools.js';
import { undeclaredReadNote, undeclaredReads } from '../src/nix/undeclared-read.js';
import type { PlanStep } from '../src/types.js';
import { stripAnsi } from '../src/util/compile-error.js';
import { NIX_CONFIG, nix, offlineSandboxArgs } from './support/nix-helpers.js';
import { expectExit, readMetadataDir, workflowCommands } from './support/run-action.js';
import { capture } from './support/spawn.js';
import { newSalt, tinyJob } from './support/tiny-job.js';
import { removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

test('the test suite builds sandboxed', () => {
  expect(NIX_CONFIG.split('\n')).toContain('sandbox = true');
});

test('an undeclared read of a tree file fails under Nix, named, in plain text', async () => {
  const root = tempDir('rbn-sandbox-');
  const ws = join(root, 'ws');
  const notes = join(ws, 'notes', 'greeting.txt');
  // Declares build.rs only, and reads a file outside its package by the path it has on the host.
  writeTree(ws, {
    'Cargo.toml': '[workspace]\nmembers = ["peek"]\nresolver = "2"\n',
    'peek/Cargo.toml': '[package]\nname = "peek"\nversion = "0.1.0"\nedition = "2021"\n',
    'peek/build.rs': `fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let path = ${JSON.stringify(notes)};
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!("cargo:rustc-env=GREETING={}", text.trim());
}
`,
    'peek/src/main.rs': 'fn main() {\n    println!("{}", env!("GREETING"));\n}\n',
    'notes/greeting.txt': 'hello from the host\n',
  });
  const job = tinyJob(ws, join(root, 'md'), newSalt(), {});
  const r = await job.main();
  expectExit(r, 1);
  const md = readMetadataDir(join(root, 'md'));
  // cargo's own build read it: the emit recorded the whole build, and the plan does not list it.
  const run = md.plan.steps.find((s) => s.kind === 'build-script-run')!;
  expect(run.sources).not.toContain(notes);
  const errors = workflowCommands(r.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/Step 'peek-run-[0-9a-f]+' \(crate 'peek', build-script-run\)/);
  expect(errors[0]).toContain(`It read ${notes}, which is not in its inputs`);
  expect(errors[0]).toContain('cargo:rerun-if-changed=');
  // Plain text wherever it is shown: the log (not a terminal) and the summary.
  expect(r.stdout).not.toContain('\x1b');
  expect(r.summary).not.toContain('\x1b');
  expect(r.summary).toContain('not in its inputs');
  await job.post();
}, 300_000);

test('the sandbox gets the host tools, never the places of undeclared files', () => {
  const bound = hostSandboxPaths(null);
  expect(bound).toContain('/usr/bin');
  expect(bound).toContain('/usr/lib');
  for (const p of bound)
    for (const open of [
      '/usr/share',
      '/usr/local',
      '/usr/src',
      '/home',
      '/root',
      '/tmp',
      '/etc/nix',
    ])
      expect(p === open || p.startsWith(`${open}/`) || open.startsWith(`${p}/`)).toBe(false);
  // A toolchain used in place outside them comes too; one under them needs nothing more.
  expect(hostSandboxPaths('/opt/rust')).toEqual([...bound, '/opt/rust']);
  expect(hostSandboxPaths('/usr')).toEqual(bound);
});

test('a missing file is named only when it is a file of the plan the step did not declare', () => {
  const root = tempDir('rbn-undeclared-');
  writeTree(root, { 'a/data.txt': 'x', 'a/src/lib.rs': '' });
  const step = { sources: [join(root, 'a/src/lib.rs')] } as PlanStep;
  const roots = [{ name: 'w', path: root }];
  const log = (p: string) =>
    `thread 'main' panicked at build.rs:3:\n${p}: No such file or directory (os error 2)\n`;
  // The sandbox's build root, the remapped one and the host path all name the same file.
  for (const p of ['/build/r/w/a/data.txt', '/rbn/w/a/x/../data.txt', join(root, 'a/data.txt')])
    expect(undeclaredReads(log(p), step, roots).files).toEqual([join(root, 'a/data.txt')]);
  // Declared, outside every root, or no such file: not named.
  expect(undeclaredReads(log('/build/r/w/a/src/lib.rs'), step, roots).files).toEqual([]);
  expect(undeclaredReads(log('/etc/hostname'), step, roots).files).toEqual([]);
  expect(undeclaredReads(log('/build/r/w/a/none.txt'), step, roots)).toEqual({
    files: [],
    byHostPath: [],
    missing: true,
  });
  expect(undeclaredReadNote({ files: [], byHostPath: [], missing: true })).toMatch(
    /not in the step's inputs/,
  );
  // A declared file read by its host path: there, but not where the step looked.
  const host = undeclaredReads(log(join(root, 'a/src/lib.rs')), step, roots);
  expect(host).toEqual({ files: [], byHostPath: [join(root, 'a/src/lib.rs')], missing: true });
  expect(undeclaredReadNote(host)).toMatch(
    /by the path the build had on the host.*CARGO_MANIFEST_DIR/,
  );
  // A failure for another reason says nothing of inputs.
  expect(
    undeclaredReadNote(undeclaredReads('error[E0308]: mismatched types', step, roots)),
  ).toBeNull();
});

test('escape sequences and control characters leave a failure plain', () => {
  const esc = String.fromCharCode(27);
  const raw = `${esc}[31;1merror:${esc}[0m builder ${esc}]8;;https://x${String.fromCharCode(7)}link${esc}]8;;${String.fromCharCode(7)} failed${esc}[K\r\n\tnext`;
  expect(stripAnsi(raw)).toBe('error: builder link failed\n\tnext');
});

test("a file of the host's system directories is read where it lies, pinned by its content", async () => {
  // As rustc_llvm's build script reads llvm-config: declared, outside the
  // tree, in a directory the offline sandbox binds (/usr/lib).
  const salt = newSalt();
  const hostDir = `/usr/lib/rbn-host-file-test-${salt}`;
  const hostFile = join(hostDir, 'greeting.txt');
  mkdirSync(hostDir, { recursive: true });
  try {
    writeFileSync(hostFile, 'hello from /usr/lib\n');
    const root = tempDir('rbn-host-file-');
    const ws = join(root, 'ws');
    writeTree(ws, {
      'Cargo.toml': '[workspace]\nmembers = ["greet"]\nresolver = "2"\n',
      'greet/Cargo.toml': '[package]\nname = "greet"\nversion = "0.1.0"\nedition = "2021"\n',
      'greet/build.rs': `fn main() {
    let path = ${JSON.stringify(hostFile)};
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!("cargo:rustc-env=GREETING={}", text.trim());
}
`,
      'greet/src/main.rs': 'fn main() {\n    println!("{}", env!("GREETING"));\n}\n',
    });
    const md = join(root, 'md');
    const job = tinyJob(ws, md, salt, {});
    const r = await job.main();
    expectExit(r, 0);
    await job.post();
    const { plan } = readMetadataDir(md);
    const run = plan.steps.find((s) => s.kind === 'build-script-run')!;
    expect(run.sources).toContain(hostFile);
    expect(plan.roots.map((x) => x.path)).not.toContain(hostDir);
    const stepsNix = readFileSync(join(md, 'flake', 'steps.nix'), 'utf8');
    expect(stepsNix).toContain(`"${hostFile}" = "`);
    expect(readdirSync(join(md, 'flake', 'sources'), { recursive: true })).not.toContain(
      expect.stringContaining('greeting.txt'),
    );
    const bin = plan.artifacts.find((a) => a.path.endsWith('/greet'))!.path;
    const out = r.outputs['out-paths']!;
    const greet = await capture(join(out, bin.slice(ws.length + 1)), []);
    expect(greet.stdout.toString('utf8')).toBe('hello from /usr/lib\n');

    // Changed on the host after the emit: a rebuild of that step refuses it by name.
    writeFileSync(hostFile, 'changed since the emit\n');
    const again = await nix([
      'build',
      ...offlineSandboxArgs(),
      '--no-link',
      '--rebuild',
      `${join(md, 'flake')}#${run.id}`,
    ]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain(
      `host file ${hostFile} is not the file the build read when it was recorded`,
    );
  } finally {
    rmSync(hostDir, { recursive: true, force: true });
  }
}, 300_000);
