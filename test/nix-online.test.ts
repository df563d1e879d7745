// Online mode (a Nix toolchain): generated steps take their tools and
// toolchain from the action's nix/ flake, so they build in the sandbox. The
// real nixpkgs and rust-overlay need the network; the stand-ins stand in.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFlake } from '../src/nix/generate.js';
import { onlineTools } from '../src/nix/tools.js';
import { nixEnv, nixFlakeDir, overrideArgs } from './fixtures/nix-standins/env.js';
import { onlinePlan } from './support/nix-synthetic.js';

const NIX = ['--extra-experimental-features', 'nix-command flakes'];
let work: string;
const text0 = (drv: { env: Record<string, string> }): string => JSON.stringify(drv.env);
/** A step's attributes: structured (the step format, src/nix/step-format.ts), in __json. */
const attrsOf = (drv: { env: Record<string, string> }): Record<string, unknown> =>
  JSON.parse(drv.env.__json!) as Record<string, unknown>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rbn-online-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('an online step evaluates to a derivation that references only store paths, its toolchain with context', () => {
  const ws = join(work, 'ws');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() {}\n');
  // The store path the emit recorded the toolchain at; the flake resolves the same spec again.
  const recorded = '/nix/store/00000000000000000000000000000000-rust-1.83.0';
  const { plan, records } = onlinePlan(ws, recorded);
  const flakeDir = join(work, 'flake');
  generateFlake({
    plan,
    records,
    flakeDir,
    tools: onlineTools(nixFlakeDir, plan.toolchain.nix_spec!.spec as never, null, 'x86_64-linux'),
  });

  const attr = `path:${flakeDir}#packages.x86_64-linux.demo-lib-0123456789abcdef`;
  const drvPath = execFileSync(
    'nix',
    [...NIX, 'eval', '--raw', ...overrideArgs(), `${attr}.drvPath`],
    { env: nixEnv, encoding: 'utf8' },
  ).trim();
  const shown = JSON.parse(
    execFileSync('nix', [...NIX, 'show-derivation', drvPath], { env: nixEnv, encoding: 'utf8' }),
  ) as Record<
    string,
    {
      builder: string;
      env: Record<string, string>;
      inputDrvs: Record<string, unknown>;
      inputSrcs: string[];
    }
  >;
  const drv = Object.values(shown)[0]!;
  // The builder and PATH come from the store (the sandbox tools), not the host.
  expect(drv.builder).toMatch(/^\/nix\/store\/.*\/bin\/bash$/);
  const attrs = attrsOf(drv);
  const toolchain = attrs.toolchain as string;
  for (const dir of (attrs.toolPath as string).split(':')) expect(dir).toMatch(/^\/nix\/store\//);
  // The toolchain reaches the step with context: a store path built by an input derivation.
  expect(toolchain).toMatch(/^\/nix\/store\/[a-z0-9]{32}-/);
  const toolchainDrv = Object.keys(drv.inputDrvs).find((d) => {
    const outs = JSON.parse(
      execFileSync('nix', [...NIX, 'show-derivation', d], { env: nixEnv, encoding: 'utf8' }),
    ) as Record<string, { outputs: Record<string, { path: string }> }>;
    return Object.values(Object.values(outs)[0]!.outputs).some((o) => o.path === toolchain);
  });
  expect(toolchainDrv).toBeDefined();
  expect(text0(drv)).not.toContain(recorded);
  const inputs = [...Object.keys(drv.inputDrvs), ...drv.inputSrcs];
  for (const p of inputs) expect(p).toMatch(/^\/nix\/store\//);
  // Every absolute path the step's attributes name lies in the store; the recording dir never appears.
  const text = text0(drv);
  expect(text).not.toContain(ws);
  // (What follows a root reference, `@{w}/...`, is a suffix such as /bin/rustc, not a host path.)
  for (const [key, value] of Object.entries(attrs)) {
    const strings = value && typeof value === 'object' ? Object.values(value) : [value];
    for (const s of strings)
      for (const m of String(s).matchAll(/(?:^|[\s:=])(\/(?:usr|bin|root|home|tmp)\/\S*)/g))
        throw new Error(`host path in ${key}: ${m[1]}`);
  }
  // The command maps onto the toolchain root, put back at build time.
  expect(attrs.command).toBe('@{@toolchain}/bin/rustc');
});
