// What a rustc command line says about its unit, read from command lines cargo
// really gives rustc (taken from a recording of the fixture workspace).
import { ownsOutputName, parseRustcArgs, unitKind } from '../src/emit/rustc-args.js';

const T = '/w/target/debug';

const LIB = [
  '--crate-name',
  'corelib',
  '--edition=2021',
  'corelib/src/lib.rs',
  '--error-format=json',
  '--json=diagnostic-rendered-ansi,artifacts,future-incompat',
  '--crate-type',
  'lib',
  '--emit=dep-info,metadata,link',
  '-C',
  'embed-bitcode=no',
  '-C',
  'debuginfo=2',
  '--check-cfg',
  'cfg(docsrs,test)',
  '--check-cfg',
  'cfg(feature, values())',
  '-C',
  'metadata=b511b8118a5d5ce7',
  '-C',
  'extra-filename=-263e90f9c0c7a2cd',
  '--out-dir',
  `${T}/deps`,
  '-C',
  `incremental=${T}/incremental`,
  '-L',
  `dependency=${T}/deps`,
  '--extern',
  `anyhow=${T}/deps/libanyhow-61fb68593c453c2d.rmeta`,
  '--extern',
  `macros=${T}/deps/libmacros-c71b029955fefddc.so`,
]; // prettier-ignore

const PROC_MACRO = [
  '--crate-name',
  'serde_derive',
  '--edition=2015',
  '/usr/share/cargo/registry/serde_derive-1.0.152/src/lib.rs',
  '--error-format=json',
  '--crate-type',
  'proc-macro',
  '--emit=dep-info,link',
  '-C',
  'prefer-dynamic',
  '--cfg',
  'feature="default"',
  '-C',
  'metadata=ea09ccb5cbe846ac',
  '-C',
  'extra-filename=-eb9a584506612877',
  '--out-dir',
  `${T}/deps`,
  '-L',
  `dependency=${T}/deps`,
  '--extern',
  `syn=${T}/deps/libsyn-f5f9eb166ca80a09.rlib`,
  '--extern',
  'proc_macro',
  '--cap-lints',
  'allow',
]; // prettier-ignore

const BUILD_SCRIPT = [
  '--crate-name',
  'build_script_build',
  '--edition=2021',
  'corelib/build.rs',
  '--error-format=json',
  '--crate-type',
  'bin',
  '--emit=dep-info,link',
  '-C',
  'embed-bitcode=no',
  '-C',
  'metadata=f242f7c456bb78c2',
  '-C',
  'extra-filename=-3d3e245540eab723',
  '--out-dir',
  `${T}/build/corelib-3d3e245540eab723`,
  '-L',
  `dependency=${T}/deps`,
]; // prettier-ignore

const BIN = [
  '--crate-name',
  'app',
  '--edition=2021',
  'app/src/main.rs',
  '--crate-type',
  'bin',
  '--emit=dep-info,link',
  '-C',
  'extra-filename=-511bc28bf0702de2',
  '--out-dir',
  `${T}/deps`,
  '-L',
  `dependency=${T}/deps`,
  '--extern',
  `corelib=${T}/deps/libcorelib-263e90f9c0c7a2cd.rlib`,
  '-L',
  'native=/usr/lib/x86_64-linux-gnu',
  '-l',
  'static=foo',
]; // prettier-ignore

describe('compiles', () => {
  test('a library: name, type, out dir, extra filename, externs, search paths, input', () => {
    const u = parseRustcArgs(LIB);
    expect(u.crateName).toBe('corelib');
    expect(u.crateTypes).toEqual(['lib']);
    expect(u.outDir).toBe(`${T}/deps`);
    expect(u.extraFilename).toBe('-263e90f9c0c7a2cd');
    expect(u.emit).toEqual(['dep-info', 'metadata', 'link']);
    expect(u.externs).toEqual([
      { name: 'anyhow', path: `${T}/deps/libanyhow-61fb68593c453c2d.rmeta` },
      { name: 'macros', path: `${T}/deps/libmacros-c71b029955fefddc.so` },
    ]);
    expect(u.searchPaths).toEqual([{ kind: 'dependency', path: `${T}/deps` }]);
    expect(u.input).toBe('corelib/src/lib.rs');
    expect(u.isQuery).toBe(false);
    expect(unitKind(u)).toBe('lib');
  });

  test('a proc-macro, with a path-less --extern and option values that look like inputs', () => {
    const u = parseRustcArgs(PROC_MACRO);
    expect(u.input).toBe('/usr/share/cargo/registry/serde_derive-1.0.152/src/lib.rs');
    expect(u.externs).toContainEqual({ name: 'proc_macro', path: null });
    expect(unitKind(u)).toBe('proc-macro');
    expect(u.isQuery).toBe(false);
  });

  test('a build script', () => {
    const u = parseRustcArgs(BUILD_SCRIPT);
    expect(unitKind(u)).toBe('build-script');
    expect(u.outDir).toBe(`${T}/build/corelib-3d3e245540eab723`);
    expect(ownsOutputName(u, 'build_script_build-3d3e245540eab723')).toBe(true);
    expect(ownsOutputName(u, 'build_script_build-3d3e245540eab723.d')).toBe(true);
    expect(ownsOutputName(u, 'build-script-build')).toBe(false);
  });

  test('a binary, with native search paths and libraries', () => {
    const u = parseRustcArgs(BIN);
    expect(unitKind(u)).toBe('bin');
    expect(u.input).toBe('app/src/main.rs');
    expect(u.searchPaths).toEqual([
      { kind: 'dependency', path: `${T}/deps` },
      { kind: 'native', path: '/usr/lib/x86_64-linux-gnu' },
    ]);
  });

  test('glued and = forms read the same as separate ones', () => {
    const u = parseRustcArgs([
      '--crate-name=x',
      '--crate-type=rlib,cdylib',
      '-Cextra-filename=-abc',
      '-Ldependency=/d',
      '-L/plain',
      '--out-dir=/o',
      '--extern=y=/d/liby.rlib',
      'src/lib.rs',
    ]);
    expect(u.crateName).toBe('x');
    expect(u.crateTypes).toEqual(['rlib', 'cdylib']);
    expect(u.extraFilename).toBe('-abc');
    expect(u.searchPaths).toEqual([
      { kind: 'dependency', path: '/d' },
      { kind: 'all', path: '/plain' },
    ]);
    expect(u.outDir).toBe('/o');
    expect(u.externs).toEqual([{ name: 'y', path: '/d/liby.rlib' }]);
    expect(u.input).toBe('src/lib.rs');
    expect(unitKind(u)).toBe('lib');
  });

  test('-o names the output; a test harness is a binary', () => {
    const u = parseRustcArgs(['--crate-name', 't', '--test', 'src/lib.rs', '-o', '/o/t-1']);
    expect(u.outFile).toBe('/o/t-1');
    expect(u.isTest).toBe(true);
    expect(unitKind(u)).toBe('bin');
  });

  test('a lib output name belongs to its unit, another hash does not', () => {
    const u = parseRustcArgs(LIB);
    for (const n of [
      'libcorelib-263e90f9c0c7a2cd.rlib',
      'libcorelib-263e90f9c0c7a2cd.rmeta',
      'corelib-263e90f9c0c7a2cd.d',
    ])
      expect(ownsOutputName(u, n)).toBe(true);
    for (const n of [
      'libcorelib-000000000000000.rlib',
      'libcorelib2-263e90f9c0c7a2cd.rlib',
      'libother.rlib',
    ])
      expect(ownsOutputName(u, n)).toBe(false);
  });
});

describe('probes: calls that compile nothing for the build', () => {
  test.each([
    [['-vV']],
    [['-V']],
    [['--version']],
    [['--version', '--verbose']],
    [['-v', '-V']],
    [
      [
        '-',
        '--crate-name',
        '___',
        '--print=file-names',
        '--crate-type',
        'bin',
        '--crate-type',
        'rlib',
      ],
    ],
    [['--print', 'sysroot']],
    [['--print=cfg', '--target', 'x86_64-unknown-linux-gnu']],
    // autocfg's probes read their program from stdin.
    [['--crate-name', 'probe0', '--crate-type=lib', '--out-dir', '/tmp/o', '--emit=llvm-ir', '-']],
  ])('%j', (args) => {
    expect(parseRustcArgs(args).isQuery).toBe(true);
  });

  test('no compile cargo gives rustc is a probe', () => {
    for (const args of [LIB, PROC_MACRO, BUILD_SCRIPT, BIN])
      expect(parseRustcArgs(args).isQuery).toBe(false);
  });
});
