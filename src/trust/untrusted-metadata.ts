// Mode build's checks of an earlier emit's metadata, before anything is
// copied or built: every path plain and absolute, every root name a plain
// relative name, the toolchain one this machine has, every source where
// this run allows (source-gate.ts), and every record's program a compiler,
// a cargo, or a program the plan builds itself. Each refusal is one
// InputError naming metadata-dir and the offending entry.
import { basename, join } from 'node:path';
import { InputError } from '../inputs.js';
import { RootMatcher } from '../nix/encode.js';
import { isHostSource } from '../plan/host-files.js';
import { under } from '../plan/roots.js';
import type { InvocationRecord, Plan } from '../types.js';
import { toolchainRoots } from './allowed-roots.js';
import type { SourceGate } from './source-gate.js';
import { unplainPath } from './source-gate.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every absolute path the plan names, with where it stands. */
function planPaths(plan: Plan): [string, string][] {
  const out: [string, string][] = [
    ['source_dir', plan.source_dir],
    ['toolchain.rustc', plan.toolchain.rustc],
    ['toolchain.cargo', plan.toolchain.cargo],
    ['toolchain.sysroot', plan.toolchain.sysroot],
  ];
  for (const t of plan.target_dirs) out.push(['target_dirs', t]);
  for (const r of plan.roots) out.push([`roots ${r.name}`, r.path]);
  for (const s of plan.steps) {
    const at = `step ${s.id}`;
    out.push([`${at} cwd`, s.cwd]);
    for (const p of s.outputs) out.push([`${at} output`, p]);
    for (const p of s.sources) out.push([`${at} source`, p]);
    for (const f of s.files ?? []) {
      out.push([`${at} file`, f.path]);
      if (f.from) out.push([`${at} file`, f.from]);
    }
    for (const d of s.empty_dirs ?? []) out.push([`${at} empty dir`, d]);
  }
  for (const a of plan.artifacts) out.push(['artifact', a.path], ['artifact', a.from]);
  return out;
}

/** What the metadata names that may not be read or run: the entry and why, or null. */
export interface Refusal {
  /** Which file of metadata-dir names it. */
  file: 'plan.json' | 'invocations.jsonl';
  entry: string;
  why: string;
}

/** The first entry of the plan or the records that mode build refuses, or null. */
export function refusalOf(
  plan: Plan,
  records: readonly InvocationRecord[],
  gate: SourceGate,
  env: Env,
): Refusal | null {
  const refuse = (entry: string, why: string): Refusal => ({ file: 'plan.json', entry, why });
  for (const [where, path] of planPaths(plan)) {
    const problem = unplainPath(path);
    if (problem) return refuse(`${where} ${JSON.stringify(path)}`, problem);
  }
  for (const r of plan.roots)
    if (r.name.split('/').some((s) => s === '' || s === '.' || s === '..'))
      return refuse(`root name ${JSON.stringify(r.name)}`, 'it is not a plain relative name');
  const { sysroot, rustc } = plan.toolchain;
  const toolchains = toolchainRoots(env);
  if (!toolchains.some((t) => under(sysroot, t.path)))
    return refuse(
      `toolchain.sysroot ${sysroot}`,
      `it is none of this machine's toolchains (${toolchains.map((t) => t.what).join(', ')})`,
    );
  if (!under(rustc, sysroot))
    return refuse(`toolchain.rustc ${rustc}`, 'it lies outside its sysroot');
  for (const s of plan.steps)
    for (const src of s.sources) {
      const problem = isHostSource(plan, src) ? gate.hostFileProblem(src) : gate.pathProblem(src);
      if (problem) return refuse(`step ${s.id}'s source ${src}`, problem);
    }
  // A program the plan builds runs from that step's output in the Nix build, never from the host.
  const matcher = new RootMatcher(plan.roots);
  const built = new Set(
    plan.steps.flatMap((s) => s.outputs).flatMap((o) => matcher.relative(o) ?? []),
  );
  const isBuilt = (p: string): boolean => built.has(matcher.relative(p) ?? '\0');
  const isCompiler = (p: string): boolean =>
    p === rustc ||
    (under(p, join(sysroot, 'bin')) && /^(rustc|rustdoc|clippy-driver)$/.test(basename(p)));
  for (const r of records) {
    const ok =
      r.type === 'cargo_invocation'
        ? basename(r.command) === 'cargo' // never run: cargo's calls are only listed
        : r.type === 'build_script_run'
          ? isBuilt(r.command)
          : isCompiler(r.command) || isBuilt(r.command);
    if (!ok)
      return {
        file: 'invocations.jsonl',
        entry: `record ${r.id} (${r.type})`,
        why: `its command ${JSON.stringify(r.command)} is not ${r.type === 'build_script_run' ? 'a build script the plan compiles' : r.type === 'cargo_invocation' ? 'a cargo' : "the toolchain's rustc or a program the plan builds"}`,
      };
  }
  return null;
}

/** refusalOf as mode build reports it: one InputError naming metadata-dir and the entry. */
export function checkEarlierEmit(
  metadataDir: string,
  plan: Plan,
  records: readonly InvocationRecord[],
  gate: SourceGate,
  env: Env,
): void {
  const r = refusalOf(plan, records, gate, env);
  if (r)
    throw new InputError(
      'metadata-dir',
      `${join(metadataDir, r.file)}: ${r.entry} is refused: ${r.why}. mode build reads only the tree, cargo's registry and vendor directories and the toolchain, and runs only the plan's compilers and programs (see README, Security).`,
    );
}
