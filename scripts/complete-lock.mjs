// Adds the platform-specific optional packages that package-lock.json lacks.
// Why: this machine's registry mirror answers 404 for packages built for
// other platforms (darwin, win32, musl...), so `npm install` here leaves
// them out, and `npm ci` anywhere then refuses the lock as out of sync.
// Each missing entry gets the version its parent pins and the os/cpu/libc
// its name encodes, so npm skips it on every platform it was not built for.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'aix',
];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  arm: 'arm',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  mips64el: 'mips64el',
};

export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return undefined;
  const entry = { os: [os], cpu: [cpu] };
  if (os === 'linux') entry.libc = [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'];
  return entry;
}

export function missingPlatformPackages(lock) {
  const packages = lock.packages;
  const missing = [];
  for (const [path, meta] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
      if (!/^\d+\.\d+\.\d+/.test(version) || !platformOf(name)) continue;
      const nested = `${path}/node_modules/${name}`;
      if (packages[nested] || packages[`node_modules/${name}`]) continue;
      missing.push({ key: `node_modules/${name}`, name, version, dev: meta.dev === true });
    }
  }
  return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'package-lock.json';
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  const missing = missingPlatformPackages(lock);
  if (check) {
    for (const m of missing)
      console.error(`${file} lacks ${m.name}@${m.version}: run node scripts/complete-lock.mjs`);
    process.exit(missing.length ? 1 : 0);
  }
  for (const m of missing) {
    lock.packages[m.key] = {
      version: m.version,
      ...(m.dev ? { dev: true } : {}),
      optional: true,
      ...platformOf(m.name),
    };
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
    ),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${missing.length} platform package(s)`);
}
