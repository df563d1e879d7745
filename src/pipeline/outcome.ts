// What a run tells, as pure functions of what its stages returned: the
// action's outputs and summary.md's sections. A run stopped early has only
// some results; each output appears once its stage has run.

import type { BinaryCacheUse } from '../binary-cache/input.js';
import { metadataPath } from '../metadata/dir.js';
import { machineName } from '../nix/remote-builders.js';
import { cacheSection, sccacheSection } from '../report/cache-sections.js';
import { crateGraphSection, criticalPathSection, type Section } from '../report/sections.js';
import { cell, formatMs } from '../report/summary.js';
import type { Built } from '../stages/nix-build.js';
import type { Published } from '../stages/publish.js';
import type { Recorded } from '../stages/record.js';
import type { ReuseOutcome } from '../stages/reuse.js';
import type { Inputs } from '../types.js';
import type { StageResults } from './journal.js';

export const OUTPUT_NAMES = [
  'metadata-dir',
  'invocations',
  'steps',
  'plan',
  'flake',
  'config-toml',
  'rustc',
  'cargo',
  'toolchain',
  'cache-hit',
  'sccache-hits',
  'sccache-misses',
  'out-paths',
  'artifact-id',
  'published-branch',
  'published-commit',
  'flake-ref',
  'substituted',
  'pushed',
  'plan-digest',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
export type Outputs = Partial<Record<OutputName, string>>;

export function outputsOf(inputs: Inputs, r: StageResults): Outputs {
  const out: Outputs = { 'metadata-dir': inputs.metadataDir };
  if (r.prepared)
    Object.assign(out, {
      'config-toml': r.prepared.configPath,
      rustc: r.prepared.toolchain.rustc,
      cargo: r.prepared.toolchain.cargo,
      toolchain: r.prepared.toolchain.toolchain,
    });
  if (r.cached) out['cache-hit'] = r.cached.hit;
  if (r.recorded) {
    Object.assign(out, {
      invocations: String(r.recorded.records.length),
      steps: String(r.recorded.plan.steps.length),
      plan: metadataPath(inputs.metadataDir, 'plan'),
      'plan-digest': r.recorded.digest,
    });
    const stats = r.recorded.sccacheStats;
    if (stats)
      Object.assign(out, {
        'sccache-hits': String(stats.hits),
        'sccache-misses': String(stats.misses),
      });
  }
  if (r.built)
    Object.assign(out, { flake: r.built.flakeDir, 'out-paths': r.built.outPaths.join(' ') });
  if (r.published)
    Object.assign(out, {
      'published-branch': r.published.branch,
      'published-commit': r.published.commit,
      'flake-ref': r.published.flakeRef,
    });
  if (r.built?.cacheUse)
    Object.assign(out, {
      substituted: String(r.built.substituted.length),
      pushed: String(r.built.cacheUse.pushed ?? 0),
    });
  return out;
}

function nixBuildSection(b: Built): Section {
  const body = [
    '| | |',
    '|---|---:|',
    `| steps built | ${b.built.length} |`,
    ...(b.once
      ? [`| compiles taken from the recording (built once) | ${b.once.taken.length} |`]
      : []),
    `| steps substituted from a binary cache | ${b.substituted.length} |`,
    `| steps reused from the store | ${b.reused - b.substituted.length} |`,
    `| nix build time | ${formatMs(b.ms)} |`,
    `| result | \`${b.outPaths.join(' ') || '(none)'}\` |`,
  ].join('\n');
  return { title: 'Nix build', body: b.once ? `${body}\n\n${onceNote(b.once)}` : body };
}

/** Which compiles Nix built although the recording had compiled them, and why. */
function onceNote(once: NonNullable<Built['once']>): string {
  const lines: string[] = [];
  if (once.runsDiffering.length)
    lines.push(
      `Build scripts whose run under Nix left other files than the recorded run (their compiles were built by Nix): ${once.runsDiffering
        .slice(0, 10)
        .map((r) => `\`${r.id}\` (${r.reason})`)
        .join(
          ', ',
        )}${once.runsDiffering.length > 10 ? ` and ${once.runsDiffering.length - 10} more` : ''}.`,
    );
  const own = once.notTaken.filter((n) => !n.reason.startsWith('it reads '));
  if (own.length)
    lines.push(
      `Compiles built by Nix because their recorded outputs could not stand for the step's: ${own
        .slice(0, 10)
        .map((n) => `\`${n.id}\` (${n.reason})`)
        .join(', ')}${own.length > 10 ? ` and ${own.length - 10} more` : ''}.`,
    );
  const downstream = once.notTaken.length - own.length;
  if (downstream)
    lines.push(`${downstream} more compile(s) read one of those, so Nix built them too.`);
  return lines.join('\n\n') || 'Every compile was taken from the recording.';
}

const listed = (items: readonly string[], n = 10): string =>
  items
    .slice(0, n)
    .map((i) => `\`${i}\``)
    .join(', ') + (items.length > n ? ` and ${items.length - n} more` : '');

/** Whether this run reused the earlier plan, what it built again, or why it ran the build instead. */
function reuseSection(reuse: ReuseOutcome, recorded: Recorded, built?: Built): Section {
  if (reuse.kind !== 'reused')
    return {
      title: 'Plan reuse',
      body:
        reuse.kind === 'fallback'
          ? `The earlier plan was tried and given up, so the build ran again in full: ${reuse.reason}.`
          : `The build ran in full: ${reuse.reason}.`,
    };
  const changed = recorded.plan.reuse?.changed_sources ?? [];
  const rebuilt = built?.built ?? [];
  const lines = [
    `The earlier plan was reused: the build command did not run. ${
      changed.length === 0
        ? 'No source file changed.'
        : `${changed.length} source file(s) changed: ${listed(changed)}.`
    }`,
    '',
    '| | |',
    '|---|---:|',
    `| steps built again | ${rebuilt.length} |`,
    `| steps substituted | ${recorded.plan.steps.length - rebuilt.length} |`,
  ];
  if (rebuilt.length > 0) lines.push('', `Built again: ${listed(rebuilt)}.`);
  return { title: 'Plan reuse', body: lines.join('\n') };
}

/**
 * Where the flake went. The comment line carries the same for the reusable
 * workflow's combined summary (bootstrap.yml), which lists each leg's.
 */
function publishSection(p: Published): Section {
  const what = p.pushed
    ? `Published \`${p.branch}\` (\`${p.commit.slice(0, 12)}\`) to \`${p.remote}\`.`
    : `Nothing new to publish: \`${p.branch}\` on \`${p.remote}\` already holds this flake.`;
  return {
    title: 'Lattice',
    body: [
      `<!-- rbn-published ${p.branch} ${p.commit} ${p.flakeRef} -->`,
      what,
      '',
      '```sh',
      `nix build '${p.flakeRef}'`,
      '```',
    ].join('\n'),
  };
}

/** The binary-cache input's run: substituted, built, pushed. */
function binaryCacheSection(b: Built, use: BinaryCacheUse): Section {
  const pushed =
    use.pushed !== null
      ? `${use.pushed}${use.pushError ? ' (the push failed; see the warning)' : ''}`
      : use.deferred > 0
        ? `${use.deferred} finished steps, by the post step (the build failed)`
        : 'none: no binary-cache-secret-key, the cache is only read';
  return {
    title: 'Binary cache',
    body: [
      `\`${cell(use.url)}\``,
      '',
      '| | |',
      '|---|---:|',
      `| steps substituted from it | ${b.substituted.length} |`,
      `| steps built | ${b.built.length} |`,
      ...(b.once
        ? [`| compiles taken from the recording (built once) | ${b.once.taken.length} |`]
        : []),
      `| steps pushed to it | ${pushed} |`,
    ].join('\n'),
  };
}

/** Where the steps were built, when Nix's remote builders built any. */
function machinesSection(b: Built): Section | null {
  const entries = Object.entries(b.machines);
  if (!entries.some(([m]) => m !== '')) return null;
  const rows = entries
    .sort(([, x], [, y]) => y - x)
    .map(([m, n]) => `| \`${cell(machineName(m))}\` | ${n} |`);
  return {
    title: 'Build machines',
    body: ['| machine | steps built |', '|---|---:|', ...rows].join('\n'),
  };
}

/** summary.md's sections after its totals, in order. */
export function sectionsOf(r: StageResults & { recorded: Recorded }): Section[] {
  const sections: Section[] = [];
  if (r.reuse) sections.push(reuseSection(r.reuse, r.recorded, r.built));
  if (r.cached) sections.push(cacheSection(r.cached.hit));
  const stats = r.recorded.sccacheStats;
  if (stats) sections.push({ title: 'sccache', body: sccacheSection(stats) });
  sections.push(criticalPathSection(r.recorded.plan), crateGraphSection(r.recorded.plan));
  if (r.built) {
    sections.push(nixBuildSection(r.built));
    if (r.built.cacheUse) sections.push(binaryCacheSection(r.built, r.built.cacheUse));
    const machines = machinesSection(r.built);
    if (machines) sections.push(machines);
  }
  if (r.published) sections.push(publishSection(r.published));
  return sections;
}
