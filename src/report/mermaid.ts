// The step graph collapsed to crates, as a Mermaid `graph LR` for the job
// summary and the check run. GitHub renders Mermaid with its default limits
// (at most 500 edges, 50 000 characters), and a graph wider than a few dozen
// nodes is unreadable at page width anyway, so the graph is capped: the
// crates on the critical path are always drawn, then the crates that took the
// longest; the rest are elided and named in a note under the graph.
import type { PlanStep } from '../types.js';
import { criticalPath } from './critical-path.js';

/** Readable at page width; 40 nodes with long labels stay far below Mermaid's 50 000 characters. */
export const DEFAULT_MAX_NODES = 40;
/** Well below Mermaid's hard limit of 500 edges; more than ~3 per node is a hairball. */
export const DEFAULT_MAX_EDGES = 120;
const MAX_LABEL_CHARS = 60;

type StepLike = Pick<PlanStep, 'id' | 'crate' | 'deps' | 'duration_ms'>;

export interface CrateGraphOptions {
  maxNodes?: number;
  maxEdges?: number;
}

export interface CrateGraph {
  /** Mermaid source, starting with `graph LR`, without code fences. */
  text: string;
  nodes: number;
  edges: number;
  /** Crates not drawn because of the node cap, sorted by name. */
  elidedCrates: string[];
  /** Edges not drawn: to or from an elided crate, or beyond the edge cap. */
  elidedEdges: number;
}

interface Crate {
  name: string;
  steps: number;
  ms: number;
  critical: boolean;
}

export function crateGraph(
  plan: { steps: readonly StepLike[] },
  options: CrateGraphOptions = {},
): CrateGraph {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const maxEdges = options.maxEdges ?? DEFAULT_MAX_EDGES;
  const path = criticalPath(plan).steps;
  const crateOf = new Map(plan.steps.map((s) => [s.id, s.crate]));

  const crates = new Map<string, Crate>();
  for (const step of plan.steps) {
    const crate = crates.get(step.crate) ?? { name: step.crate, steps: 0, ms: 0, critical: false };
    crate.steps += 1;
    crate.ms += Math.max(0, step.duration_ms || 0);
    crates.set(step.crate, crate);
  }
  const pathCrates = path.map((id) => crateOf.get(id)!);
  for (const name of pathCrates) crates.get(name)!.critical = true;

  const allEdges = new Map<string, { from: string; to: string }>();
  for (const step of plan.steps) {
    for (const dep of step.deps) {
      const from = crateOf.get(dep);
      if (from === undefined || from === step.crate) continue;
      allEdges.set(`${from}\0${step.crate}`, { from, to: step.crate });
    }
  }
  const criticalEdges = new Set<string>();
  for (let i = 1; i < pathCrates.length; i++) {
    if (pathCrates[i - 1] !== pathCrates[i])
      criticalEdges.add(`${pathCrates[i - 1]}\0${pathCrates[i]}`);
  }

  // Which crates to keep: the critical path first, then the slowest.
  const ranked = [...crates.values()].sort(
    (a, b) => Number(b.critical) - Number(a.critical) || b.ms - a.ms || compare(a.name, b.name),
  );
  const kept = ranked.slice(0, Math.max(0, maxNodes));
  const keptNames = new Set(kept.map((c) => c.name));
  const elidedCrates = ranked
    .slice(kept.length)
    .map((c) => c.name)
    .sort(compare);

  const candidates = [...allEdges.entries()]
    .filter(([, e]) => keptNames.has(e.from) && keptNames.has(e.to))
    .sort(
      ([ka, a], [kb, b]) =>
        Number(criticalEdges.has(kb)) - Number(criticalEdges.has(ka)) ||
        crates.get(b.from)!.ms +
          crates.get(b.to)!.ms -
          crates.get(a.from)!.ms -
          crates.get(a.to)!.ms ||
        compare(ka, kb),
    );
  const edges = candidates.slice(0, Math.max(0, maxEdges)).sort(([ka], [kb]) => compare(ka, kb));

  // Node ids are generated (c0, c1, …): crate names can be Mermaid keywords
  // (`end`, `graph`, `click`) or contain anything, so they only ever appear
  // inside escaped labels.
  const nodes = [...kept].sort((a, b) => compare(a.name, b.name));
  const ids = new Map(nodes.map((c, i) => [c.name, `c${i}`]));
  const lines = ['graph LR'];
  if (elidedCrates.length > 0) lines.push(`  %% ${elidedCrates.length} crates elided`);
  for (const crate of nodes) {
    const label = `${mermaidText(truncate(crate.name || '(unnamed)'))}<br/>${crate.steps} ${
      crate.steps === 1 ? 'step' : 'steps'
    }, ${seconds(crate.ms)}`;
    lines.push(`  ${ids.get(crate.name)}["${label}"]`);
  }
  const criticalLinks: number[] = [];
  edges.forEach(([key, e], index) => {
    lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
    if (criticalEdges.has(key)) criticalLinks.push(index);
  });
  const criticalNodes = nodes.filter((c) => c.critical).map((c) => ids.get(c.name));
  if (criticalNodes.length > 0) {
    lines.push('  classDef critical stroke:#d73a49,stroke-width:3px');
    lines.push(`  class ${criticalNodes.join(',')} critical`);
  }
  if (criticalLinks.length > 0) {
    lines.push(`  linkStyle ${criticalLinks.join(',')} stroke:#d73a49,stroke-width:3px`);
  }
  return {
    text: `${lines.join('\n')}\n`,
    nodes: nodes.length,
    edges: edges.length,
    elidedCrates,
    elidedEdges: allEdges.size - edges.length,
  };
}

/** The graph as a fenced Markdown block, with a note naming what was elided. */
export function mermaidBlock(graph: CrateGraph): string {
  const block = `\`\`\`mermaid\n${graph.text}\`\`\`\n`;
  if (graph.elidedCrates.length === 0 && graph.elidedEdges === 0) return block;
  const crates = graph.nodes + graph.elidedCrates.length;
  const edges = graph.edges + graph.elidedEdges;
  const names = graph.elidedCrates.slice(0, 20).map((n) => `\`${n.replace(/[^\w.-]/g, '?')}\``);
  if (graph.elidedCrates.length > names.length) names.push('…');
  const notDrawn = names.length > 0 ? ` Not drawn: ${names.join(', ')}.` : '';
  return `${block}\n_Showing ${graph.nodes} of ${crates} crates and ${graph.edges} of ${edges} edges, capped so that the graph renders.${notDrawn}_\n`;
}

/**
 * Text safe inside a quoted Mermaid label: every character outside a small
 * safe set becomes a numeric entity (`#34;`), which Mermaid decodes when it
 * renders, so quotes, brackets, `%%`, `<script>` or newlines in a name can
 * neither end the label nor inject markup.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) out += /^[A-Za-z0-9 _.,:/@+-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function truncate(name: string): string {
  const chars = [...name];
  return chars.length <= MAX_LABEL_CHARS
    ? name
    : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
