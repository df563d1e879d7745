// rustc's dep-info: the files a compile read and the variables it read
// (`# env-dep:`), parsed from what the real rustc writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDepInfo } from '../src/emit/depinfo.js';
import { baseEnv, removeTempDirs, runSync, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

/** Runs the real rustc for dep-info only and returns what it wrote. */
function rustcDepInfo(cwd: string, input: string, env: Record<string, string>): string {
  const out = join(tempDir('rbn-depinfo-out-'), 't.d');
  const r = runSync(
    'rustc',
    [
      '--edition',
      '2021',
      '--crate-type',
      'lib',
      '--crate-name',
      't',
      '--emit=dep-info',
      '-o',
      out,
      input,
    ],
    { cwd, env: baseEnv(env) },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return readFileSync(out, 'utf8');
}

describe('from the real rustc', () => {
  const root = tempDir('rbn-depinfo-');
  const dir = join(root, 'dir with space');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'lib.rs'),
    [
      '#[path = "a b#c$d.rs"]',
      'mod m;',
      'pub const X: &str = env!("RBN_DEP_X");',
      'pub const Y: Option<&str> = option_env!("RBN_DEP_UNSET");',
      'pub const Z: &str = include_str!("data/ünï côdé.txt");',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'a b#c$d.rs'), 'pub fn f() {}\n');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'ünï côdé.txt'), 'hi\n');
  const env = { RBN_DEP_X: 'multi\nline\\value = x' };

  test('escaped spaces, odd characters and relative paths', () => {
    const text = rustcDepInfo(root, 'dir with space/lib.rs', env);
    expect(text).toContain('dir\\ with\\ space/lib.rs');
    const info = parseDepInfo(text, root);
    expect(info.files.sort()).toEqual(
      [join(dir, 'lib.rs'), join(dir, 'a b#c$d.rs'), join(dir, 'data', 'ünï côdé.txt')].sort(),
    );
  });

  test('env-dep lines, with and without a value', () => {
    const text = rustcDepInfo(root, 'dir with space/lib.rs', env);
    expect(text).toContain('# env-dep:RBN_DEP_UNSET\n');
    expect(parseDepInfo(text, root).envDeps.sort()).toEqual(['RBN_DEP_UNSET', 'RBN_DEP_X']);
  });

  test('a colon in a file name is part of the name', () => {
    const colonDir = join(root, 'at 12:30');
    mkdirSync(colonDir);
    writeFileSync(join(colonDir, 'lib.rs'), 'pub const A: &str = include_str!("a:b.txt");\n');
    writeFileSync(join(colonDir, 'a:b.txt'), 'x\n');
    const text = rustcDepInfo(colonDir, 'lib.rs', {});
    const info = parseDepInfo(text, colonDir);
    expect(info.files.sort()).toEqual([join(colonDir, 'a:b.txt'), join(colonDir, 'lib.rs')].sort());
  });
});

describe('the format', () => {
  test('a cargo dep-info file: one list per output, phony targets, absolute and relative paths', () => {
    const text = [
      '/w/target/debug/deps/corelib-1.d: corelib/src/lib.rs corelib/src/text.rs /w/target/debug/build/corelib-2/out/squares.rs',
      '',
      '/w/target/debug/deps/libcorelib-1.rlib: corelib/src/lib.rs corelib/src/text.rs /w/target/debug/build/corelib-2/out/squares.rs',
      '',
      'corelib/src/lib.rs:',
      'corelib/src/text.rs:',
      '/w/target/debug/build/corelib-2/out/squares.rs:',
      '',
      '# env-dep:CORELIB_PROFILE=debug',
      '# env-dep:OUT_DIR=/w/target/debug/build/corelib-2/out',
      '',
    ].join('\n');
    const info = parseDepInfo(text, '/w');
    expect(info.files).toEqual([
      '/w/corelib/src/lib.rs',
      '/w/corelib/src/text.rs',
      '/w/target/debug/build/corelib-2/out/squares.rs',
    ]);
    expect(info.envDeps).toEqual(['CORELIB_PROFILE', 'OUT_DIR']);
  });

  test('an empty file reads nothing', () => {
    expect(parseDepInfo('', '/w')).toEqual({ files: [], envDeps: [] });
  });
});
