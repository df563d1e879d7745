// summary.md, also written as the job summary: totals, the steps, the
// slowest, failures, and the numbers of the stages that ran.
import type { InvocationRecord, Plan, PlanStep } from '../types.js';

export interface SummaryInput {
  mode: string;
  records: InvocationRecord[];
  plan: Plan;
  failure: string | null;
  emitMs: number;
  /** Extra sections (Nix build, caches) in the order given. */
  sections: { title: string; body: string }[];
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/</g, '&lt;');
}

function stepsTable(steps: readonly PlanStep[]): string {
  const rows = steps.map(
    (s) => `| ${cell(s.crate)} | ${s.kind} | ${formatMs(s.duration_ms)} | \`${cell(s.id)}\` |`,
  );
  return ['| crate | kind | duration | step |', '|---|---|---:|---|', ...rows].join('\n');
}

/**
 * x.py's stages side by side: its compiles and build-script runs, and the
 * link steps for what bootstrap did itself (sysroots, copies, stamps).
 * Bootstrap's own build (bootstrap.py's cargo) has no stage.
 */
function stageTable(steps: readonly PlanStep[]): string {
  const stages = [...new Set(steps.map((x) => x.stage ?? null))].sort(
    (a, b) => (a ?? -1) - (b ?? -1),
  );
  const rows = stages.map((st) => {
    const of = steps.filter((x) => (x.stage ?? null) === st);
    const n = (t: PlanStep['type']): number => of.filter((x) => x.type === t).length;
    const name = st === null ? 'bootstrap itself (and unstaged)' : `stage ${st}`;
    return `| ${name} | ${n('rust_compiler_invocation')} | ${n('build_script_run')} | ${n('link')} | ${of.filter((x) => x.type === 'link').reduce((t, x) => t + (x.files?.length ?? 0), 0)} |`;
  });
  return [
    "| stage | compiles | build-script runs | link steps (bootstrap's own) | files placed |",
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** summary.md of a run cancelled by a signal: what it was doing and what it put right. */
export function renderCancelled(
  mode: string,
  c: { signal: string; stage: string; cleaned: readonly string[] },
  recorded: number | null,
): string {
  const out = [
    `## rust-bootstrap-nix: cancelled (${mode})`,
    '',
    `> **Cancelled** by ${c.signal} while ${cell(c.stage)}.`,
    '',
    '| | |',
    '|---|---|',
    `| cleaned up | ${cell(c.cleaned.length ? c.cleaned.join('; ') : 'nothing was left to undo')} |`,
  ];
  if (recorded !== null)
    out.push(
      `| invocations recorded | ${recorded} (invocations.jsonl and plan.json are complete) |`,
    );
  out.push('');
  return out.join('\n');
}

export function renderSummary(s: SummaryInput): string {
  const steps = s.plan.steps;
  const probes = s.records.filter((r) => r.probe).length;
  const cargoCalls = s.records.filter((r) => r.type === 'cargo_invocation').length;
  const compiles = steps.filter((x) => x.type === 'rust_compiler_invocation').length;
  const runs = steps.filter((x) => x.type === 'build_script_run').length;
  const links = steps.filter((x) => x.type === 'link').length;
  const failed = steps.filter((x) => x.exit_code !== 0);
  const cpu = steps.reduce((t, x) => t + x.duration_ms, 0);
  const out: string[] = [];
  out.push(`## rust-bootstrap-nix: ${s.failure ? 'failed' : 'succeeded'} (${s.mode})`);
  out.push('');
  if (s.failure) out.push(`> **Error:** ${cell(s.failure)}`, '');
  out.push('| | |', '|---|---:|');
  // A reused plan's records come from the earlier emit: this run built nothing itself.
  const reused = s.plan.reuse !== undefined;
  out.push(
    `| invocations ${reused ? 'carried over from the earlier emit' : 'recorded'} | ${s.records.length} |`,
  );
  out.push(
    `| plan steps | ${steps.length} (${compiles} compiles, ${runs} build-script runs, ${links} links) |`,
  );
  out.push(`| probes | ${probes} |`);
  out.push(`| cargo calls | ${cargoCalls} |`);
  out.push(`| final artifacts | ${s.plan.artifacts.length} |`);
  out.push(`| build wall time | ${reused ? 'not run (plan reused)' : formatMs(s.emitMs)} |`);
  out.push(`| compile time, summed | ${formatMs(cpu)} |`);
  out.push('');
  if (failed.length > 0) {
    out.push('### Failures', '', stepsTable(failed), '');
  }
  if (steps.some((x) => typeof x.stage === 'number'))
    out.push('### Per stage', '', stageTable(steps), '');
  const slowest = [...steps].sort((a, b) => b.duration_ms - a.duration_ms).slice(0, 10);
  if (slowest.length > 0) out.push('### Slowest steps', '', stepsTable(slowest), '');
  for (const sec of s.sections) out.push(`### ${sec.title}`, '', sec.body, '');
  if (steps.length > 0) {
    out.push('<details><summary>All steps</summary>', '', stepsTable(steps), '', '</details>', '');
  }
  return out.join('\n');
}

/** summary.md of a run that stopped before it had records to count: where, and why. */
export function renderStoppedSummary(mode: string, stage: string, message: string): string {
  return [
    `## rust-bootstrap-nix: failed (${mode})`,
    '',
    `> **Error** (${cell(stage)}): ${cell(message)}`,
    '',
  ].join('\n');
}
