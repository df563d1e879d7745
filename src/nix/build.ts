// Builds a generated flake with `nix build` (Nix 2.8 has no
// --print-out-paths: the out paths come from --json), counts which steps
// were built and which were reused, and turns a failed step into a message
// that names the step, its crate and the tail of its log.

import { stripAnsi } from '../compile-error.js';
import type { Log } from '../log.js';
import { run } from '../process.js';
import { runStreaming } from '../run-streaming.js';
import type { PlanStep } from '../types.js';
import { NIX_FEATURES } from './cli.js';

export interface NixBuildOptions {
  flakeDir: string;
  /** Attribute under packages.<system>; `default` builds everything. */
  attr?: string;
  outLink: string;
  env: NodeJS.ProcessEnv;
  steps: readonly PlanStep[];
  nix?: string;
  /** Stops `nix build` (its process group: SIGTERM, then SIGKILL) and makes nixBuild reject. */
  signal?: AbortSignal;
}

export interface NixBuildResult {
  ok: boolean;
  outPaths: string[];
  built: string[]; // step ids built by this run
  reused: number; // steps already in the store
  ms: number;
  failure: string | null;
}

/**
 * How a generated flake is evaluated. `--impure`: the flake reads nothing but
 * its own files (no env, no currentSystem), so pure mode adds no guarantee,
 * while Nix 2.8's pure-mode check scans every path allowed so far on each
 * access: quadratic over one `builtins.path` per source file (24 s against
 * 13 s for a 10,000-step plan).
 */
export const GENERATED_FLAKE_ARGS = ['--impure'] as const;

const BUILDING = /building '\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv'/g;
const FAILED = /builder for '(\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv)' failed/;

/** The lines worth showing from a step's log: rustc's rendered diagnostics, else the raw tail. */
export function logTail(log: string, lines = 20): string {
  const rendered: string[] = [];
  const plain: string[] = [];
  for (const line of log.split('\n')) {
    if (line.startsWith('{')) {
      try {
        const msg = JSON.parse(line) as {
          rendered?: string;
          level?: string;
          $message_type?: string;
        };
        if (msg.rendered && msg.level !== 'warning')
          rendered.push(stripAnsi(msg.rendered).trimEnd());
        continue;
      } catch {
        // not a diagnostic; keep it as text
      }
    }
    if (line.trim()) plain.push(line);
  }
  const chosen = rendered.length ? rendered.join('\n').split('\n') : plain;
  return chosen.slice(-lines).join('\n');
}

export async function nixBuild(opts: NixBuildOptions, log: Log): Promise<NixBuildResult> {
  const nix = opts.nix ?? 'nix';
  const started = Date.now();
  const built = new Set<string>();
  const stepIds = new Set(opts.steps.map((s) => s.id));
  let pending = '';
  let stdout = '';
  const argv = [
    nix,
    ...NIX_FEATURES,
    'build',
    ...GENERATED_FLAKE_ARGS,
    '--json',
    '--out-link',
    opts.outLink,
    '--max-jobs',
    'auto',
    '--keep-going',
    `path:${opts.flakeDir}#${opts.attr ?? 'default'}`,
  ];
  const result = await log.group(`Nix build: ${opts.steps.length} steps`, () =>
    runStreaming(argv, {
      cwd: opts.flakeDir,
      env: opts.env,
      ...(opts.signal ? { signal: opts.signal } : {}),
      notFound: () =>
        "Nix is not on PATH; set 'install-nix: true' (or auto) so the action installs it.",
      onOutput: (chunk, stream) => {
        if (stream === 'stdout') {
          stdout += chunk.toString('utf8'); // the JSON result, parsed below
          return;
        }
        const text = pending + chunk.toString('utf8');
        const cut = text.lastIndexOf('\n');
        pending = text.slice(cut + 1);
        const complete = text.slice(0, cut + 1);
        for (const m of complete.matchAll(BUILDING)) if (stepIds.has(m[1]!)) built.add(m[1]!);
        if (complete) log.info(complete.trimEnd());
        log.progress('nix build', built.size, opts.steps.length);
      },
    }),
  );
  const ms = Date.now() - started;
  const reused = opts.steps.length - built.size;
  if (result.exitCode === 0) {
    const outPaths = (JSON.parse(stdout) as { outputs: Record<string, string> }[]).flatMap((r) =>
      Object.values(r.outputs),
    );
    return { ok: true, outPaths, built: [...built], reused, ms, failure: null };
  }
  return {
    ok: false,
    outPaths: [],
    built: [...built],
    reused,
    ms,
    failure: await describeFailure(nix, result.tail, opts),
  };
}

async function describeFailure(
  nix: string,
  output: string,
  opts: NixBuildOptions,
): Promise<string> {
  const m = FAILED.exec(output);
  if (!m) return `nix build failed:\n${logTail(output, 15)}`;
  const [, drv, id] = m;
  const step = opts.steps.find((s) => s.id === id);
  const stepLog = await run(nix, [...NIX_FEATURES, 'log', drv!], {
    env: opts.env,
    signal: opts.signal,
  });
  const tail = logTail(stepLog.code === 0 ? stepLog.stdout : output);
  return `Step '${id}' (crate '${step?.crate ?? '?'}', ${step?.kind ?? 'step'}) failed under Nix:\n${tail}`;
}
