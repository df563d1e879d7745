// What a rustc command line says about the unit it compiles. Only reads the
// arguments; the recorded argv itself is never rewritten.

/** rustc options that take their value as the next argument. */
const TAKES_VALUE = new Set([
  '--crate-name',
  '--crate-type',
  '--edition',
  '--out-dir',
  '-o',
  '-C',
  '--codegen',
  '-L',
  '-l',
  '--extern',
  '--cfg',
  '--check-cfg',
  '--emit',
  '--error-format',
  '--json',
  '--target',
  '--cap-lints',
  '-A',
  '-W',
  '-D',
  '-F',
  '--allow',
  '--warn',
  '--deny',
  '--forbid',
  '--force-warn',
  '--print',
  '--explain',
  '--sysroot',
  '-Z',
  '--remap-path-prefix',
  '--diagnostic-width',
  '--color',
  '--env-set',
  '--crate-attr',
  '--extern-location',
  '--test-builder',
]);

export interface RustcUnit {
  crateName: string | null;
  crateTypes: string[];
  outDir: string | null;
  outFile: string | null; // -o
  extraFilename: string;
  emit: string[];
  externs: { name: string; path: string | null }[];
  searchPaths: { kind: string; path: string }[];
  input: string | null; // the source file ('-' for stdin)
  sysroot: string | null;
  isTest: boolean;
  /** Asks rustc something instead of compiling (version, --print, stdin probe). */
  isQuery: boolean;
}

export function parseRustcArgs(args: readonly string[]): RustcUnit {
  const u: RustcUnit = {
    crateName: null,
    crateTypes: [],
    outDir: null,
    outFile: null,
    extraFilename: '',
    emit: [],
    externs: [],
    searchPaths: [],
    input: null,
    sysroot: null,
    isTest: false,
    isQuery: false,
  };
  const take = (flag: string, value: string): void => {
    switch (flag) {
      case '--crate-name':
        u.crateName = value;
        break;
      case '--crate-type':
        u.crateTypes.push(...value.split(','));
        break;
      case '--out-dir':
        u.outDir = value;
        break;
      case '-o':
        u.outFile = value;
        break;
      case '-C':
      case '--codegen':
        if (value.startsWith('extra-filename='))
          u.extraFilename = value.slice('extra-filename='.length);
        break;
      case '--emit':
        u.emit.push(...value.split(','));
        break;
      case '--print':
        u.isQuery = true;
        break;
      case '--sysroot':
        u.sysroot = value;
        break;
      case '--extern': {
        const eq = value.indexOf('=');
        u.externs.push(
          eq < 0
            ? { name: value, path: null }
            : { name: value.slice(0, eq), path: value.slice(eq + 1) },
        );
        break;
      }
      case '-L': {
        const eq = value.indexOf('=');
        const kinds = ['dependency', 'crate', 'native', 'framework', 'all'];
        if (eq > 0 && kinds.includes(value.slice(0, eq)))
          u.searchPaths.push({ kind: value.slice(0, eq), path: value.slice(eq + 1) });
        else u.searchPaths.push({ kind: 'all', path: value });
        break;
      }
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-vV' || a === '-V' || a === '--version' || (a === '-v' && args[i + 1] === '-V')) {
      u.isQuery = true;
      continue;
    }
    if (a === '--test') {
      u.isTest = true;
      continue;
    }
    if (TAKES_VALUE.has(a)) {
      take(a, args[++i] ?? '');
      continue;
    }
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0 && TAKES_VALUE.has(a.slice(0, eq))) {
      take(a.slice(0, eq), a.slice(eq + 1));
      continue;
    }
    // Glued short forms: -Cextra-filename=..., -Ldependency=..., -Zflag
    const short = a.slice(0, 2);
    if (
      a.length > 2 &&
      (short === '-C' || short === '-L' || short === '-l' || short === '-Z' || short === '-o')
    ) {
      take(short, a.slice(2));
      continue;
    }
    if (a === '-') {
      u.input = '-';
      continue;
    }
    if (!a.startsWith('-') && u.input === null) u.input = a;
  }
  if (u.input === '-' || u.input === null) u.isQuery = true;
  if (u.crateName === '___') u.isQuery = true;
  return u;
}

/** The unit's kind as the summary shows it. */
export function unitKind(u: RustcUnit): 'lib' | 'bin' | 'proc-macro' | 'build-script' | 'other' {
  if (u.crateName?.startsWith('build_script_')) return 'build-script';
  if (u.crateTypes.includes('proc-macro')) return 'proc-macro';
  if (u.crateTypes.includes('bin') || u.isTest) return 'bin';
  if (u.crateTypes.some((t) => ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib'].includes(t)))
    return 'lib';
  return u.crateTypes.length === 0 ? 'bin' : 'other';
}

/** Whether a file name in the output directory belongs to this unit. */
export function ownsOutputName(u: RustcUnit, name: string): boolean {
  if (!u.crateName) return false;
  const stem = u.crateName + u.extraFilename;
  return name === stem || name.startsWith(`${stem}.`) || name.startsWith(`lib${stem}.`);
}
