// The lattice's names: `<prefix>/<component>/<arch>/<phase>/<step>` branches,
// one per published snapshot of a recorded build. Pure functions: the branch
// template checked and filled in, the step numbers found among a remote's
// branches, and the default component, arch and phase of a plan.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Plan } from '../types.js';

export const DEFAULT_BRANCH_TEMPLATE = 'lattice/{component}/{arch}/phase{phase}/step{step}';
const PLACEHOLDERS = ['component', 'arch', 'phase', 'step'] as const;

/** What a branch name is made of, but the step. */
export interface LatticePoint {
  component: string;
  arch: string;
  phase: number;
}

/** Why `name` cannot be a branch (git check-ref-format's rules), or null. */
export function refNameProblem(name: string): string | null {
  if (name === '' || name === '@') return 'is empty';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git refuses
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return 'contains white space, a control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{')) return 'contains .. or @{';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'starts or ends with /, or has an empty part';
  if (name.endsWith('.')) return 'ends with .';
  for (const part of name.split('/'))
    if (part.startsWith('.') || part.endsWith('.lock'))
      return `has a part '${part}' that starts with . or ends with .lock`;
  return null;
}

/** Why a publish-branch template cannot name the lattice's branches, or null. */
export function branchTemplateProblem(template: string): string | null {
  for (const m of template.matchAll(/\{([^}]*)\}/g))
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!))
      return `has the unknown placeholder {${m[1]}}; it accepts ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
  const steps = template.split('{step}').length - 1;
  if (steps !== 1)
    return `must contain {step} exactly once (it numbers the snapshots), not ${steps} times`;
  const sample = renderBranch(template, { component: 'c', arch: 'x86_64', phase: 0 }, 1);
  const problem = refNameProblem(sample);
  return problem ? `gives the branch '${sample}', which ${problem}` : null;
}

function fill(template: string, point: LatticePoint): string {
  return template
    .replaceAll('{component}', point.component)
    .replaceAll('{arch}', point.arch)
    .replaceAll('{phase}', String(point.phase));
}

export function renderBranch(template: string, point: LatticePoint, step: number): string {
  return fill(template, point).replace('{step}', String(step));
}

/** The step numbers of this point's branches among `branches` (names without refs/heads/). */
export function stepsOf(
  template: string,
  point: LatticePoint,
  branches: readonly string[],
): number[] {
  const [before, after] = fill(template, point).split('{step}') as [string, string];
  const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${literal(before)}([1-9][0-9]{0,8})${literal(after)}$`);
  return branches
    .map((b) => re.exec(b)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** `x86_64-linux` → `x86_64`. */
export function archOf(system: string): string {
  return system.split('-')[0]!;
}

/** The bootstrap stage the build reached: x.py's highest RUSTC_STAGE (its `--stage N`); 0 for cargo. */
export function phaseOf(plan: Plan): number {
  return plan.steps.reduce((max, s) => Math.max(max, s.stage ?? 0), 0);
}

/** A component as one part of a branch name: letters, digits, `.`, `_` and `-`. */
export function componentProblem(component: string): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(component))
    return 'must start with a letter or digit and hold only letters, digits, ., _ and - (at most 100)';
  return refNameProblem(component);
}

/** The version in rustc's `release` (`1.95.0`, `1.96.0-nightly`), as a branch part. */
function versionOf(plan: Plan): string {
  const m = /\d+\.\d+\.\d+(?:-[A-Za-z0-9.]+)?/.exec(plan.toolchain.version);
  return m ? m[0] : 'unknown';
}

/** The source's name: the root package of the workspace, else the tree's directory name. */
function sourceNameOf(sourceDir: string): string {
  const manifest = join(sourceDir, 'Cargo.toml');
  if (existsSync(manifest)) {
    try {
      const name = (parseToml(readFileSync(manifest, 'utf8')) as { package?: { name?: unknown } })
        .package?.name;
      if (typeof name === 'string' && name) return name;
    } catch {
      // a manifest cargo itself would refuse: the directory's name
    }
  }
  return basename(sourceDir);
}

/** `<source name>-rust-<toolchain version>`, e.g. `logscan-rust-1.95.0`. */
export function defaultComponent(plan: Plan): string {
  const raw = `${sourceNameOf(plan.source_dir)}-rust-${versionOf(plan)}`;
  const clean = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return clean.replace(/\.lock$/, '-lock').replace(/\.+$/, '') || 'rust';
}
