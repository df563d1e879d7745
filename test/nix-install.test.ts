// install-nix and nix-conf, as far as this offline machine (Debian nix-bin 2.8 on PATH) allows.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionEnvironment, actionLog } from '../src/host/action.js';
import { memoryLog } from '../src/log.js';
import {
  ensureNix,
  findNix,
  isGithubDotCom,
  nixConfigEnv,
  nixConfProblem,
  nixConfText,
} from '../src/nix-install/index.js';
import { installerUrl, NIX_VERSION } from '../src/nix-install/install.js';

const token = 'ghs_0123456789abcdefABCDEF0123456789abcd';
let work: string;
let githubPath: string;
let githubEnv: string;
const saved = { ...process.env };

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'rbn-nix-install-'));
  githubPath = path.join(work, 'github_path');
  githubEnv = path.join(work, 'github_env');
  writeFileSync(githubPath, '');
  writeFileSync(githubEnv, '');
  // @actions/core writes add-path and export-variable commands to these files.
  process.env.GITHUB_PATH = githubPath;
  process.env.GITHUB_ENV = githubEnv;
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(work, { recursive: true, force: true });
});

describe('nix.conf', () => {
  test('line by line, with a github.com token and nix-conf lines appended', () => {
    const text = nixConfText({
      user: 'runner',
      githubToken: token,
      serverUrl: 'https://github.com',
      extra: 'substituters = https://cache.nixos.org https://example.cachix.org\nsandbox = true\n',
    });
    expect(text.split('\n')).toEqual([
      '# Written by rust-bootstrap-nix',
      'experimental-features = nix-command flakes',
      'max-jobs = auto',
      'trusted-users = root runner',
      `access-tokens = github.com=${token}`,
      'substituters = https://cache.nixos.org https://example.cachix.org',
      'sandbox = true',
      '',
    ]);
  });

  test('no access-tokens for a GitHub Enterprise server or without a token', () => {
    const ghes = nixConfText({
      user: 'runner',
      githubToken: token,
      serverUrl: 'https://ghe.example.com',
    });
    expect(ghes).not.toContain('access-tokens');
    expect(ghes).not.toContain(token);
    expect(nixConfText({ user: 'runner', githubToken: '' })).not.toContain('access-tokens');
  });

  test('single-user installs have no build users group', () => {
    expect(nixConfText({ user: 'runner', singleUser: true }).split('\n')).toEqual([
      '# Written by rust-bootstrap-nix',
      'experimental-features = nix-command flakes',
      'max-jobs = auto',
      'trusted-users = root runner',
      'build-users-group =',
      '',
    ]);
  });

  test('isGithubDotCom', () => {
    expect(isGithubDotCom('https://github.com')).toBe(true);
    expect(isGithubDotCom('https://GitHub.com/')).toBe(true);
    expect(isGithubDotCom('https://github.com.evil.example')).toBe(false);
    expect(isGithubDotCom('not a url')).toBe(false);
  });

  test('nix-conf input: nix.conf lines only', () => {
    expect(
      nixConfProblem(
        '# comment\n\nmax-jobs = 4\nextra-substituters = https://x\n!include /etc/x.conf',
      ),
    ).toBeNull();
    expect(nixConfProblem('max-jobs = 4\nsandbox: true')).toBe(
      'Invalid nix-conf input: line 2 ("sandbox: true") is not a nix.conf setting; it accepts lines of the form name = value',
    );
  });

  test('NIX_CONFIG for a Nix found on the machine carries nix-conf, never a token', () => {
    expect(nixConfigEnv('max-jobs = 4', 'substituters =')).toBe(
      'substituters =\nextra-experimental-features = nix-command flakes\nmax-jobs = 4',
    );
  });
});

describe('finding Nix', () => {
  test('Nix on PATH: no install, its directory goes on PATH for later steps', async () => {
    const log = memoryLog();
    const setup = await ensureNix({
      job: actionEnvironment(),
      installNix: 'auto',
      nixConf: 'max-jobs = 2',
      githubToken: token,
      log,
    });
    expect(setup.installed).toBe(false);
    expect(setup.nix).toBe('/usr/bin/nix');
    expect(setup.version).toMatch(/^2\.\d+/);
    expect(setup.nixConfig).toContain('max-jobs = 2');
    expect(setup.nixConfig).not.toContain(token);
    expect(readFileSync(githubPath, 'utf8')).toBe('/usr/bin\n');
    expect(readFileSync(githubEnv, 'utf8')).toBe('');
    expect(log.lines).toEqual([`info: Using Nix ${setup.version} at /usr/bin/nix (found on PATH)`]);
  });

  test('install-nix: false uses a Nix found in a profile, not on PATH', async () => {
    const bin = path.join(work, 'profile', 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync('/usr/bin/nix', path.join(bin, 'nix'));
    const env = { ...process.env, PATH: '/nonexistent' };
    const setup = await ensureNix({
      job: actionEnvironment(),
      installNix: 'false',
      nixConf: '',
      githubToken: token,
      log: memoryLog(),
      env,
      profileBins: [bin],
      marks: [],
    });
    expect(setup).toMatchObject({ installed: false, nix: path.join(bin, 'nix'), bin });
    expect(readFileSync(githubPath, 'utf8')).toBe(`${bin}\n`);
  });

  test('install-nix: false without any Nix is one clear error', async () => {
    await expect(
      ensureNix({
        job: actionEnvironment(),
        installNix: 'false',
        nixConf: '',
        githubToken: '',
        log: memoryLog(),
        env: { ...process.env, PATH: '/nonexistent' },
        profileBins: [path.join(work, 'none')],
        marks: [],
      }),
    ).rejects.toThrow(
      `install-nix is false, but no Nix was found on PATH or in ${work}/none; install Nix before this step or set install-nix: auto`,
    );
  });

  test('a previous install without a working nix is reported, not installed over', async () => {
    const receipt = path.join(work, 'receipt.json');
    writeFileSync(receipt, '{}');
    await expect(
      findNix({ env: { ...process.env, PATH: '/nonexistent' }, profileBins: [], marks: [receipt] }),
    ).rejects.toThrow(
      `install-nix: a previous Nix install left ${receipt}, but no working nix was found (looked in PATH); repair or remove that install (DeterminateSystems: /nix/nix-installer uninstall) before this step`,
    );
  });
});

describe('installing Nix without network', () => {
  // The installer URL points at a loopback port nothing listens on, so the
  // download fails the same way on a machine with network: the real installer
  // is never fetched, let alone run.
  const url = 'https://127.0.0.1:9/nix/install';
  const expected = new RegExp(
    `^install-nix: cannot download the Nix installer from ${url.replace(/\./g, '\\.')} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:9\\); this runner seems to have no network access\\. Install Nix before this step \\(install-nix: auto then uses it\\) or set install-nix: false where Nix is present$`,
  );

  test('the default installer URL is the Nix release on releases.nixos.org', () => {
    expect(installerUrl()).toBe(`https://releases.nixos.org/nix/nix-${NIX_VERSION}/install`);
  });

  test('install-nix: true fails fast with one clear error and masks the token', async () => {
    const log = actionLog(); // as the action's host gives it: masks are ::add-mask:: lines
    const stdout: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let error: Error | undefined;
    try {
      await ensureNix({
        job: actionEnvironment(),
        installNix: 'true',
        nixConf: '',
        githubToken: token,
        log,
        tempDir: work,
        url,
      });
    } catch (e) {
      error = e as Error;
    } finally {
      process.stdout.write = write;
    }
    expect(error?.message).toMatch(expected);
    expect(stdout.filter((l) => !l.startsWith('::add-mask::'))).toEqual([]);
    // The token was registered as a secret before anything could print it...
    expect(stdout.join('')).toContain(`::add-mask::${token}`);
    // ...and was written nowhere: no PATH or env export, no leftover files.
    expect(readFileSync(githubPath, 'utf8')).toBe('');
    expect(readFileSync(githubEnv, 'utf8')).toBe('');
    expect(
      (await import('node:fs')).readdirSync(work).filter((f) => f.startsWith('rbn-nix-install-')),
    ).toEqual([]);
  }, 60_000);

  test('install-nix: auto with no Nix anywhere tries to install and fails the same way', async () => {
    await expect(
      ensureNix({
        job: actionEnvironment(),
        installNix: 'auto',
        nixConf: '',
        githubToken: '',
        log: memoryLog(),
        env: { ...process.env, PATH: '/nonexistent' },
        profileBins: [],
        marks: [],
        tempDir: work,
        url,
      }),
    ).rejects.toThrow(expected);
  }, 60_000);
});
