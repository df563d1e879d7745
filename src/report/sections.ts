// The summary's critical-path and crate-graph sections, in the
// `{ title, body }` shape renderSummary takes as extra sections.

import type { PlanStep } from '../types.js';
import { criticalPath } from './critical-path.js';
import { type CrateGraphOptions, crateGraph, mermaidBlock } from './mermaid.js';
import { cell, formatMs } from './summary.js';

type StepLike = Pick<PlanStep, 'id' | 'crate' | 'kind' | 'deps' | 'duration_ms'>;

export interface Section {
  title: string;
  body: string;
}

/** Longer paths go in a collapsed block so the summary stays readable. */
const OPEN_ROWS = 15;

export function criticalPathSection(plan: { steps: readonly StepLike[] }): Section {
  const path = criticalPath(plan);
  if (path.steps.length === 0) return { title: 'Critical path', body: 'No steps.' };
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const summed = plan.steps.reduce((t, s) => t + Math.max(0, s.duration_ms || 0), 0);
  const rows = path.steps.map((id, i) => {
    const s = byId.get(id)!;
    return `| ${i + 1} | ${cell(s.crate)} | ${s.kind} | ${formatMs(s.duration_ms)} | \`${cell(s.id)}\` |`;
  });
  const table = ['| # | crate | kind | duration | step |', '|---:|---|---|---:|---|', ...rows].join(
    '\n',
  );
  const lead =
    `No schedule finishes the build faster than this chain of ${path.steps.length} ` +
    `${path.steps.length === 1 ? 'step' : 'steps'}: **${formatMs(path.total_ms)}**, ` +
    `against ${formatMs(summed)} for all ${plan.steps.length} steps one after another.`;
  const body =
    rows.length > OPEN_ROWS
      ? `${lead}\n\n<details><summary>The ${rows.length} steps</summary>\n\n${table}\n\n</details>`
      : `${lead}\n\n${table}`;
  return { title: 'Critical path', body };
}

export function crateGraphSection(
  plan: { steps: readonly StepLike[] },
  options: CrateGraphOptions = {},
): Section {
  const graph = crateGraph(plan, options);
  const legend =
    'One node per crate, an arrow from each crate to the crates built from it; the critical path is in red.';
  return { title: 'Crate graph', body: `${legend}\n\n${mermaidBlock(graph).trimEnd()}` };
}
