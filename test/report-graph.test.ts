// The critical path and the crate graph, the latter parsed by the real Mermaid.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryState, processEnvironment } from '../src/host/ports.js';
import { parseInputs } from '../src/inputs.js';
import { memoryLog } from '../src/log.js';
import { runPipeline } from '../src/pipeline/run.js';
import { criticalPath } from '../src/report/critical-path.js';
import {
  crateGraph,
  DEFAULT_MAX_EDGES,
  DEFAULT_MAX_NODES,
  mermaidBlock,
  mermaidText,
} from '../src/report/mermaid.js';
import { crateGraphSection, criticalPathSection } from '../src/report/sections.js';
import { stopSccache } from '../src/sccache/server.js';
import type { Plan, PlanStep } from '../src/types.js';
import { baseEnv, copyFixture, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

type Step = Pick<PlanStep, 'id' | 'crate' | 'kind' | 'deps' | 'duration_ms'>;

const step = (id: string, crate: string, duration_ms: number, deps: string[] = []): Step => ({
  id,
  crate,
  kind: 'lib',
  deps,
  duration_ms,
});

// app (bin) ← corelib (lib) ← corelib build-script run ← build script compile;
// corelib also needs macros (proc-macro); app also needs log, which is slow but
// not on the longest chain.
//   build(40) → run(25) → corelib(300) → app(120)  = 485
//   macros(200) → corelib(300) → app(120)           = 620  ← critical
//   log(450) → app(120)                             = 570
const plan = {
  steps: [
    step('corelib-build', 'corelib', 40),
    step('corelib-run', 'corelib', 25, ['corelib-build', 'probe-17']),
    step('macros-lib', 'macros', 200),
    step('corelib-lib', 'corelib', 300, ['corelib-run', 'macros-lib']),
    step('log-lib', 'log', 450),
    step('app-bin', 'app', 120, ['corelib-lib', 'log-lib']),
  ],
};

// The real Mermaid parser, in a child process: Mermaid needs a DOM (DOMPurify
// binds to \`window\` when it loads) and jsdom is CommonJS that requires ESM,
// which plain Node loads but jest's module runtime does not. Besides the
// diagram type it reports each node's label as a browser would show it:
// Mermaid keeps entities as placeholders in its model and turns them back
// into HTML entities when it renders, which the DOM then decodes.
const PARSE_SCRIPT = `
import { JSDOM } from 'jsdom';
const { window } = new JSDOM('');
Object.assign(globalThis, { window, document: window.document });
const { default: mermaid } = await import('mermaid');
let text = '';
for await (const chunk of process.stdin) text += chunk;
try {
  const { diagramType } = await mermaid.parse(text);
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  const shown = (html) => {
    const element = document.createElement('span');
    element.innerHTML = html.replaceAll('\u{FB02}\u{B0}\u{B0}', '&#').replaceAll('\u{FB02}\u{B0}', '&').replaceAll('\u{B6}\u{DF}', ';');
    return element.textContent;
  };
  const labels = Object.fromEntries([...db.getVertices().values()].map((v) => [v.id, shown(v.text.split('<br>')[0])]));
  const edges = db.getEdges().map((e) => [e.start, e.end]);
  process.stdout.write(JSON.stringify({ diagramType, labels, edges }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error.message) }));
}
`;

interface Parsed {
  diagramType?: string;
  labels?: Record<string, string>;
  edges?: [string, string][];
  error?: string;
}

function parseMermaid(text: string): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PARSE_SCRIPT], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`mermaid parser exited ${code}: ${err}`)),
    );
    child.stdin.end(text);
  });
}

const FLOWCHART = expect.objectContaining({ diagramType: 'flowchart-v2' });

test('the Mermaid parser used below is real: it rejects a broken graph', async () => {
  const parsed = await parseMermaid('graph LR\n  a["unterminated] --> end\n');
  expect(parsed.error).toContain('Parse error');
});

describe('criticalPath', () => {
  test('follows the longest duration-weighted chain', () => {
    expect(criticalPath(plan)).toEqual({
      steps: ['macros-lib', 'corelib-lib', 'app-bin'],
      total_ms: 620,
    });
  });

  test('ties go to plan order; unknown deps are ignored', () => {
    const tie = {
      steps: [step('a', 'a', 10), step('b', 'b', 10), step('c', 'c', 5, ['b', 'a', 'x'])],
    };
    expect(criticalPath(tie)).toEqual({ steps: ['b', 'c'], total_ms: 15 });
  });

  test('a step deep in a long chain beats a single slow step', () => {
    const chain = Array.from({ length: 50 }, (_, i) =>
      step(`s${i}`, `k${i}`, 3, i === 0 ? [] : [`s${i - 1}`]),
    );
    const result = criticalPath({ steps: [step('slow', 'slow', 149), ...chain] });
    expect(result.total_ms).toBe(150);
    expect(result.steps).toHaveLength(50);
    expect(result.steps[0]).toBe('s0');
  });

  test('an empty plan has an empty path', () => {
    expect(criticalPath({ steps: [] })).toEqual({ steps: [], total_ms: 0 });
  });

  test('a cycle is reported, not looped on', () => {
    const cyclic = {
      steps: [step('a', 'a', 1, ['b']), step('b', 'b', 1, ['a']), step('c', 'c', 1)],
    };
    expect(() => criticalPath(cyclic)).toThrow('dependency cycle among steps: a, b');
  });
});

describe('crateGraph', () => {
  test('one node per crate, edges between crates, the critical path highlighted', async () => {
    const graph = crateGraph(plan);
    expect(graph.text).toBe(
      [
        'graph LR',
        '  c0["app<br/>1 step, 0.1 s"]',
        '  c1["corelib<br/>3 steps, 0.4 s"]',
        '  c2["log<br/>1 step, 0.5 s"]',
        '  c3["macros<br/>1 step, 0.2 s"]',
        '  c1 --> c0',
        '  c2 --> c0',
        '  c3 --> c1',
        '  classDef critical stroke:#d73a49,stroke-width:3px',
        '  class c0,c1,c3 critical',
        '  linkStyle 0,2 stroke:#d73a49,stroke-width:3px',
        '',
      ].join('\n'),
    );
    expect(graph).toMatchObject({ nodes: 4, edges: 3, elidedCrates: [], elidedEdges: 0 });
    expect(mermaidBlock(graph)).toBe(`\`\`\`mermaid\n${graph.text}\`\`\`\n`);
    expect(await parseMermaid(graph.text)).toEqual(FLOWCHART);
  });

  test('hostile crate names stay inside their labels and the graph parses', async () => {
    const names = [
      'end',
      'graph',
      'click',
      'subgraph',
      'style',
      'a"b',
      'x]y[z',
      '(paren)',
      '{brace}',
      '<script>alert(1)</script>',
      '%% comment',
      '#quot; entity',
      'line\nbreak',
      '`markdown`',
      'A---oB',
      'a-->b',
      'pipe|pipe',
      ';semi;',
      'ünïcødé 😀',
      '',
      'x'.repeat(200),
    ];
    const steps = names.map((name, i) => step(`s${i}`, name, 10 * (i + 1), i ? [`s${i - 1}`] : []));
    const graph = crateGraph({ steps });
    expect(graph.nodes).toBe(names.length);
    expect(graph.edges).toBe(names.length - 1);
    for (const line of graph.text.split('\n').slice(1)) {
      // Every node line is an id and one quoted label with nothing outside it.
      if (line.includes('["')) expect(line).toMatch(/^ {2}c\d+\["[^"\n\]]*"\]$/);
    }
    expect(graph.text).not.toContain('<script');
    const parsed = await parseMermaid(graph.text);
    expect(parsed).toEqual(FLOWCHART);
    // Each label shows exactly the crate's name (long ones cut, none empty),
    // and the edges are the chain between them: nothing leaked into the syntax.
    const shown = names.map((n) =>
      n === '' ? '(unnamed)' : n.length > 60 ? `${n.slice(0, 59)}…` : n,
    );
    expect(Object.values(parsed.labels!).sort()).toEqual([...shown].sort());
    const byLabel = new Map(Object.entries(parsed.labels!).map(([id, label]) => [label, id]));
    expect(parsed.edges!.map(([a, b]) => [parsed.labels![a], parsed.labels![b]]).sort()).toEqual(
      shown
        .slice(1)
        .map((n, i) => [shown[i], n])
        .sort(),
    );
    expect(byLabel.size).toBe(names.length);
  });

  test('mermaidText keeps safe characters and encodes the rest as entities', () => {
    expect(mermaidText('serde_json-1.0 a/b:c@d+e,f')).toBe('serde_json-1.0 a/b:c@d+e,f');
    expect(mermaidText('a"b<c>#😀')).toBe('a#34;b#60;c#62;#35;#128512;');
  });

  test('a large graph is capped, keeps the critical path and names what it elided', async () => {
    // 30 crates in a chain (the critical path), 70 independent short ones,
    // and every short crate also feeds the last crate of the chain.
    const chain = Array.from({ length: 30 }, (_, i) =>
      step(`chain${i}`, `chain-${String(i).padStart(2, '0')}`, 100, i ? [`chain${i - 1}`] : []),
    );
    const others = Array.from({ length: 70 }, (_, i) =>
      step(`other${i}`, `other-${String(i).padStart(2, '0')}`, 50 + i),
    );
    chain[29]!.deps.push(...others.map((s) => s.id));
    const graph = crateGraph({ steps: [...chain, ...others] });
    expect(graph.nodes).toBe(DEFAULT_MAX_NODES);
    expect(graph.elidedCrates).toHaveLength(100 - DEFAULT_MAX_NODES);
    // All of the chain is drawn; of the others, the slowest ten.
    const drawn = [...graph.text.matchAll(/\["([^<]*)<br/g)].map((m) => m[1]);
    for (const s of chain) expect(drawn).toContain(s.crate);
    expect(drawn.filter((n) => n!.startsWith('other-')).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `other-${60 + i}`),
    );
    expect(graph.elidedCrates[0]).toBe('other-00');
    expect(graph.edges + graph.elidedEdges).toBe(29 + 70);
    expect(mermaidBlock(graph)).toContain(
      `_Showing 40 of 100 crates and ${graph.edges} of 99 edges, capped so that the graph renders. Not drawn: \`other-00\``,
    );
    expect(await parseMermaid(graph.text)).toEqual(FLOWCHART);

    const tight = crateGraph({ steps: [...chain, ...others] }, { maxNodes: 100, maxEdges: 35 });
    expect(tight).toMatchObject({ nodes: 100, edges: 35, elidedEdges: 99 - 35 });
    // The 29 chain edges come first, so the critical path stays connected.
    expect(tight.text).toMatch(/linkStyle (\d+,){28}\d+ stroke/);
    expect(await parseMermaid(tight.text)).toEqual(FLOWCHART);
    expect(DEFAULT_MAX_EDGES).toBeLessThan(500);
  });
});

describe('summary sections', () => {
  test('the critical path as a table, with the lower bound it sets', () => {
    expect(criticalPathSection(plan)).toEqual({
      title: 'Critical path',
      body: [
        'No schedule finishes the build faster than this chain of 3 steps: **620 ms**, against 1.1 s for all 6 steps one after another.',
        '',
        '| # | crate | kind | duration | step |',
        '|---:|---|---|---:|---|',
        '| 1 | macros | lib | 200 ms | `macros-lib` |',
        '| 2 | corelib | lib | 300 ms | `corelib-lib` |',
        '| 3 | app | lib | 120 ms | `app-bin` |',
      ].join('\n'),
    });
    expect(criticalPathSection({ steps: [] }).body).toBe('No steps.');
  });

  test('the crate graph as a fenced Mermaid block', () => {
    const section = crateGraphSection(plan);
    expect(section.title).toBe('Crate graph');
    expect(section.body.endsWith(`\`\`\`mermaid\n${crateGraph(plan).text}\`\`\``)).toBe(true);
  });
});

// The "Done when" of issue 6 for the report: a real emit of the fixture
// workspace (Debian's crate sources: build scripts, proc-macros), through the
// pipeline as the CLI runs it, gives a critical path that is a real chain of
// the plan and a crate graph that Mermaid parses.
describe('on a real plan', () => {
  let real: Plan;
  beforeAll(async () => {
    const ws = copyFixture('rbn-report-');
    const metadataDir = join(tempDir('rbn-report-meta-'), 'meta');
    const given: Record<string, string> = {
      toolchain: 'system',
      mode: 'emit',
      'metadata-dir': metadataDir,
    };
    // A RUNNER_TEMP of its own: sccache's directory and the GC roots go there.
    const env = baseEnv({ RUNNER_TEMP: tempDir('rbn-report-temp-') });
    const inputs = parseInputs((name) => given[name], env, ws);
    const log = memoryLog();
    const result = await runPipeline(inputs, {
      log,
      env,
      state: memoryState(),
      job: processEnvironment(env),
      output: () => {},
    });
    // As the CLI does at its end: the sccache server the run started does not outlive it.
    if (result.sccache) await stopSccache(result.sccache, log);
    expect(result.failure).toBeNull();
    real = JSON.parse(readFileSync(join(metadataDir, 'plan.json'), 'utf8')) as Plan;
  });

  test('the critical path is a chain of dependent steps, ending at the binary', () => {
    const path = criticalPath(real);
    const byId = new Map(real.steps.map((s) => [s.id, s]));
    expect(path.steps.length).toBeGreaterThan(2);
    for (let i = 1; i < path.steps.length; i++) {
      expect(byId.get(path.steps[i]!)!.deps).toContain(path.steps[i - 1]);
    }
    expect(byId.get(path.steps[0]!)!.deps.filter((d) => byId.has(d))).toEqual([]);
    expect(path.total_ms).toBe(path.steps.reduce((t, id) => t + byId.get(id)!.duration_ms, 0));
    expect(byId.get(path.steps.at(-1)!)).toMatchObject({ crate: 'app', kind: 'bin' });
    // Nothing in the plan ends later than the path's end.
    expect(path.total_ms).toBeGreaterThanOrEqual(Math.max(...real.steps.map((s) => s.duration_ms)));
  });

  test('the crate graph draws every crate once, or names it as elided, and parses', async () => {
    const crates = new Set(real.steps.map((s) => s.crate));
    expect(crates.size).toBeGreaterThan(10);
    const graph = crateGraph(real);
    const parsed = await parseMermaid(graph.text);
    expect(parsed).toEqual(FLOWCHART);
    const drawn = Object.values(parsed.labels!);
    expect(drawn).toHaveLength(Math.min(crates.size, DEFAULT_MAX_NODES));
    expect([...drawn, ...graph.elidedCrates].sort()).toEqual([...crates].sort());
    const onPath = new Set(
      criticalPath(real).steps.map((id) => real.steps.find((s) => s.id === id)!.crate),
    );
    for (const crate of onPath) expect(drawn).toContain(crate);
    expect(parsed.edges!.length).toBe(graph.edges);
    expect(crateGraphSection(real).body).toContain('```mermaid\ngraph LR\n');
  });
});
