// Builds a generated flake with `nix build` (Nix 2.8 has no
// --print-out-paths: the out paths come from --json), counts which steps
// were built (and on which machine), substituted or reused, and turns a failed step into a message
// that names the step, its crate and the tail of its log. Nix logs in its
// internal-json format, turned back into the lines it would have printed,
// so that the progress can count the builds as they finish.

import type { Log } from '../log.js';
import type { Plan, PlanStep } from '../types.js';
import { stripAnsi } from '../util/compile-error.js';
import { run } from '../util/process.js';
import { runStreaming } from '../util/run-streaming.js';
import { NIX_FEATURES, pathRef } from './cli.js';
import { nixAttr, nixString } from './escape.js';
import { nixJsonLog } from './log-json.js';
import { refusedByDaemon } from './trust.js';
import { undeclaredReadNote, undeclaredReads } from './undeclared-read.js';

export interface NixBuildOptions {
  flakeDir: string;
  /** Attribute under packages.<system>; `default` builds everything. */
  attr?: string;
  /**
   * Several steps by id, in place of `attr`, of `system`'s packages: one
   * expression, so the flake is fetched and evaluated once, not once per step.
   */
  attrs?: { system: string; ids: readonly string[] };
  /** null: no result link (the steps' outputs are what is wanted). */
  outLink: string | null;
  env: NodeJS.ProcessEnv;
  steps: readonly PlanStep[];
  /** The plan's roots: a failed step's log names its files under them. */
  roots?: Plan['roots'];
  nix?: string;
  /** Stops `nix build` (its process group: SIGTERM, then SIGKILL) and makes nixBuild reject. */
  signal?: AbortSignal;
  /** More `nix build` flags (a binary cache's substituter flags). */
  nixArgs?: readonly string[];
  /** Host directories the steps need in the sandbox (offline tools); a trusted user's `extra-sandbox-paths`. */
  sandboxPaths?: readonly string[];
  /** `--max-jobs`; null leaves it to nix.conf (nix-conf's `max-jobs = 0` sends every step to the builders). */
  maxJobs?: string | null;
  /** Each step's derivation as its build ends (a cancelled build still knows what it finished). */
  onStepBuilt?: (drv: string) => void;
  /** Steps this run put in the store before this build (build once): counted as such, not as reused. */
  before?: { built: number; taken: number };
}

export interface NixBuildResult {
  ok: boolean;
  outPaths: string[];
  built: string[]; // step ids built by this run
  reused: number; // steps not built: in the store already, or substituted
  /** Step ids whose outputs Nix substituted from a binary cache (and did not build). */
  substituted: string[];
  /** Steps built per machine: Nix's store URI of a remote builder, '' for this one. */
  machines: Record<string, number>;
  /** The derivations of the steps built to the end (what a push after a failed build can still send). */
  builtDrvs: string[];
  /** What a Nix daemon ignored for this untrusted user (`substituter 'URL'`, `setting 'builders'`). */
  untrusted: string[];
  ms: number;
  failure: string | null;
  /** The step that failed ("Step '<id>' (crate '<name>', <kind>)") and rustc's first error line in its log, when Nix names one. */
  failedStep: { label: string; error: string | null } | null;
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
const STEP_DRV = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)\.drv$/;
const STEP_OUT = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)$/;

/** The step id a step output's store path names (`/nix/store/<hash>-rbn-<id>`), or null. */
export function stepIdOfOut(path: string): string | null {
  return STEP_OUT.exec(path)?.[1] ?? null;
}
/** As much of Nix's output as a failure's message may quote from. */
const TAIL_CHARS = 256 * 1024;

/**
 * Counts for the progress line while `nix build` runs. Nix's count of the
 * builds it has to do (`expected`) is final only once it has looked at every
 * derivation, so it is taken from the first build on (null before: still
 * evaluating); it takes in rbn-result (the `default` attribute, built after
 * every step) as well. A step Nix does not build is reused (in the store
 * already, or fetched); one it was to build but did not (a dependency
 * failed) is neither. `final`: Nix is done. `before`: the steps this run built
 * or took before this build (build once), which are not reused either.
 */
/** Steps built per machine, `more`'s added to `into`'s. */
export function addMachines(into: Record<string, number>, more: Record<string, number>): void {
  for (const [m, n] of Object.entries(more)) into[m] = (into[m] ?? 0) + n;
}

export function buildProgress(
  total: number,
  seen: { started: number; finished: number; failed: number; expected: number | null },
  withResult: boolean,
  final = false,
  before: { built: number; taken: number } | null = null,
): { done: number; detail: string } {
  if (!final && seen.expected === null) return { done: 0, detail: 'evaluating' };
  const { expected } = seen;
  const toBuild =
    expected === null
      ? seen.started // done, and Nix built nothing
      : Math.min(total, Math.max(seen.started, expected - (withResult && expected > 0 ? 1 : 0)));
  const notBuilt = total - toBuild;
  // Build once's rounds built some of the steps in the store, and it took others.
  const reused = notBuilt - (before ? before.built + before.taken : 0);
  const running = final ? 0 : seen.started - seen.finished - seen.failed;
  const detail = [
    `${seen.finished + (before?.built ?? 0)} built`,
    ...(before ? [`${before.taken} taken`] : []),
    `${reused} reused`,
    ...(running > 0 ? [`${running} building`] : []),
    ...(seen.failed > 0 ? [`${seen.failed} failed`] : []),
  ].join(' · ');
  return { done: seen.finished + notBuilt, detail };
}

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
    if (line.trim()) plain.push(stripAnsi(line));
  }
  const chosen = rendered.length ? rendered.join('\n').split('\n') : plain;
  return chosen.slice(-lines).join('\n');
}

/** A list of the flake's steps (getFlake: the generated flake as `nix build` reads it). */
function stepsExpr(flakeDir: string, system: string, ids: readonly string[]): string {
  const ps = `(builtins.getFlake ${nixString(pathRef(flakeDir))}).packages.${nixAttr(system)}`;
  return `let ps = ${ps}; in [ ${ids.map((id) => `ps.${nixAttr(id)}`).join(' ')} ]`;
}

/** The flags that bind host directories into the sandbox, on top of nix.conf's own. */
export function sandboxPathArgs(paths: readonly string[]): string[] {
  return paths.length ? ['--option', 'extra-sandbox-paths', paths.join(' ')] : [];
}

export async function nixBuild(opts: NixBuildOptions, log: Log): Promise<NixBuildResult> {
  const nix = opts.nix ?? 'nix';
  const started = Date.now();
  const built = new Set<string>();
  const stepIds = new Set(opts.steps.map((s) => s.id));
  const stepOf = (drv: string): string | null => {
    const id = STEP_DRV.exec(drv)?.[1];
    return id !== undefined && stepIds.has(id) ? id : null;
  };
  const decode = nixJsonLog();
  const finished = new Map<string, string>(); // step id -> its .drv, as its build ended
  const failed = new Set<string>();
  const machineOf = new Map<string, string>(); // step id -> machine
  const substituting = new Set<string>();
  const untrusted = new Set<string>();
  let expected = 0;
  let building = false; // a build has started: Nix's count is worth showing
  let settled = false; // a build has ended: Nix's count is final
  let tail = ''; // what Nix would have printed: a failure is described from it
  let pending = '';
  let stdout = '';
  const argv = [
    nix,
    ...NIX_FEATURES,
    'build',
    ...GENERATED_FLAKE_ARGS,
    '--json',
    '--log-format',
    'internal-json',
    ...(opts.outLink === null ? ['--no-link'] : ['--out-link', opts.outLink]),
    ...(opts.maxJobs === null ? [] : ['--max-jobs', opts.maxJobs ?? 'auto']),
    '--keep-going',
    ...sandboxPathArgs(opts.sandboxPaths ?? []),
    ...(opts.nixArgs ?? []),
    ...(opts.attrs
      ? ['--expr', stepsExpr(opts.flakeDir, opts.attrs.system, opts.attrs.ids)]
      : [`path:${opts.flakeDir}#${opts.attr ?? 'default'}`]),
  ];
  const report = (final: boolean): void => {
    const seen = {
      started: built.size,
      finished: [...finished.keys()].filter((id) => !failed.has(id)).length,
      failed: failed.size,
      expected: building ? expected : null,
    };
    const withResult = !opts.attrs && (opts.attr ?? 'default') === 'default';
    const { done, detail } = buildProgress(
      opts.steps.length,
      seen,
      withResult,
      final,
      opts.before ?? null,
    );
    log.progress('nix build', done, opts.steps.length, detail);
  };
  const result = await log.group(`Nix build: ${opts.steps.length} steps`, async () => {
    const run = await runStreaming(argv, {
      cwd: opts.flakeDir,
      env: opts.env,
      signal: opts.signal,
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
        const shown: string[] = [];
        for (const line of text.slice(0, cut + 1).split('\n')) {
          const event = decode(line);
          if (!event) continue;
          if (event.text !== undefined) {
            shown.push(event.text);
            for (const m of event.text.matchAll(BUILDING)) if (stepIds.has(m[1]!)) built.add(m[1]!);
            const f = FAILED.exec(event.text)?.[2];
            if (f !== undefined && stepIds.has(f)) failed.add(f);
            const refused = refusedByDaemon(event.text);
            if (refused) untrusted.add(refused);
          }
          const startedId = event.buildStarted && stepOf(event.buildStarted);
          // A remote builder's own log comes through too (its build, on '' there): the first says where.
          if (startedId && !machineOf.has(startedId)) machineOf.set(startedId, event.machine ?? '');
          const subst = event.substituting && stepIdOfOut(event.substituting);
          if (subst && stepIds.has(subst)) substituting.add(subst);
          const stopped = event.buildStopped && stepOf(event.buildStopped);
          if (stopped) {
            finished.set(stopped, event.buildStopped!);
            opts.onStepBuilt?.(event.buildStopped!);
          }
          if (event.buildStarted) building = true;
          // Nix's count moves while it looks (up for each derivation, down for
          // one found in the store) and drops the builds a failure stopped: it
          // is taken until the first build ends, by when Nix has looked at all.
          if (event.builds && !settled) expected = event.builds.expected;
          if (event.buildStopped) settled = true;
        }
        if (shown.length) {
          const lines = shown.join('\n');
          tail = `${tail}${lines}\n`.slice(-TAIL_CHARS);
          log.info(lines);
        }
        report(false);
      },
    });
    report(true);
    return run;
  });
  const ms = Date.now() - started;
  const machines: Record<string, number> = {};
  for (const id of built) {
    const m = machineOf.get(id) ?? '';
    machines[m] = (machines[m] ?? 0) + 1;
  }
  const counts = {
    built: [...built],
    reused: opts.steps.length - built.size,
    // A substitution Nix gave up (a refused entry) is followed by a build of the step.
    substituted: [...substituting].filter((id) => !built.has(id)),
    machines,
    builtDrvs: [...finished].filter(([id]) => !failed.has(id)).map(([, drv]) => drv),
    untrusted: [...untrusted],
    ms,
  };
  if (result.exitCode === 0) {
    const outPaths = (JSON.parse(stdout) as { outputs: Record<string, string> }[]).flatMap((r) =>
      Object.values(r.outputs),
    );
    return { ok: true, outPaths, ...counts, failure: null, failedStep: null };
  }
  return {
    ok: false,
    outPaths: [],
    ...counts,
    ...(await describeFailure(nix, tail + pending, opts)),
  };
}

async function describeFailure(
  nix: string,
  output: string,
  opts: NixBuildOptions,
): Promise<Pick<NixBuildResult, 'failure' | 'failedStep'>> {
  const m = FAILED.exec(output);
  if (!m) return { failure: `nix build failed:\n${logTail(output, 15)}`, failedStep: null };
  const [, drv, id] = m;
  const step = opts.steps.find((s) => s.id === id);
  const stepLog = await run(nix, [...NIX_FEATURES, 'log', drv!], {
    env: opts.env,
    signal: opts.signal,
  });
  const whole = stripAnsi(stepLog.code === 0 ? stepLog.stdout : output);
  const tail = logTail(whole);
  const note = step ? undeclaredReadNote(undeclaredReads(whole, step, opts.roots ?? [])) : null;
  const error =
    tail
      .split('\n')
      .find((l) => /^error(\[E\d+\])?:/.test(l.trim()))
      ?.trim() ?? note;
  const label = `Step '${id}' (crate '${step?.crate ?? '?'}', ${step?.kind ?? 'step'})`;
  return {
    failure: `${label} failed under Nix:${note ? ` ${note}` : ''}\n${tail}`,
    failedStep: { label, error },
  };
}
