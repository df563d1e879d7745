// On pull requests, the summary as a check run per system: a title with the
// counts, the markdown summary, and an annotation per failed step. A check
// run is a convenience next to the job summary, so every failure here (a
// token without `checks: write`, as on pull requests from forks; GitHub
// Enterprise Server being down) is a warning, never an error.
import * as github from '@actions/github';
import type { Log } from '../log.js';
import type { PlanStep } from '../types.js';

/** The Checks API takes at most 50 annotations per request; later ones go in updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** The Checks API's limit for `output.summary` and `output.text`. */
const MAX_OUTPUT_CHARS = 65_535;

export type GitHubContext = Pick<
  typeof github.context,
  'eventName' | 'payload' | 'repo' | 'apiUrl'
>;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunReport {
  /** Nix system of this leg, e.g. `x86_64-linux`. */
  system: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
  /** One line with the counts; see checkRunTitle. */
  title: string;
  /** Markdown: the same as summary.md. */
  summary: string;
  /** More markdown below the summary, e.g. the Mermaid graph. */
  text?: string;
  annotations?: Annotation[];
}

export interface CheckRunOptions {
  /** The `github-token` input. */
  token: string;
  /** The `check-run` input. */
  enabled: boolean;
  log: Log;
  /** The workflow run's context; `github.context` unless a test gives another. */
  context?: GitHubContext;
}

export function checkRunName(system: string): string {
  return `rust-bootstrap-nix (${system})`;
}

export function checkRunTitle(counts: {
  steps: number;
  failed: number;
  invocations: number;
}): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const failed = counts.failed > 0 ? `${counts.failed} failed, ` : '';
  return `${failed}${plural(counts.steps, 'step')}, ${plural(counts.invocations, 'invocation')}`;
}

/**
 * One failure annotation per failed step, on the first source file it read
 * inside the repository (paths relative to `workspace`, GITHUB_WORKSPACE), or
 * on the directory it ran in when it read none there.
 */
export function failedStepAnnotations(
  steps: readonly Pick<PlanStep, 'id' | 'crate' | 'kind' | 'exit_code' | 'sources' | 'cwd'>[],
  workspace: string,
): Annotation[] {
  const inside = (path: string) =>
    path.startsWith(`${workspace.replace(/\/+$/, '')}/`)
      ? path.slice(workspace.replace(/\/+$/, '').length + 1)
      : null;
  return steps
    .filter((s) => s.exit_code !== 0)
    .map((s) => {
      const path = s.sources.map(inside).find((p) => p !== null) ?? inside(s.cwd) ?? '.';
      const how = s.exit_code === null ? 'was killed' : `exited with ${s.exit_code}`;
      return {
        path,
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure' as const,
        title: `${s.crate} (${s.kind}) failed`,
        message: `Step ${s.id}, the ${s.kind} of crate ${s.crate}, ${how}. Its output is in the job log.`,
      };
    });
}

/**
 * Creates the check run on the pull request's head commit. With more than 50
 * annotations it is created in progress with the first 50, updated with the
 * rest 50 at a time, and completed by the last update. Returns the check
 * run's id, or null when none was published.
 */
export async function publishCheckRun(
  report: CheckRunReport,
  options: CheckRunOptions,
): Promise<number | null> {
  try {
    return await publish(report, options);
  } catch (e) {
    options.log.warning(
      `Check run ${checkRunName(report.system)} not published: ${(e as Error).message}.`,
    );
    return null;
  }
}

async function publish(report: CheckRunReport, options: CheckRunOptions): Promise<number | null> {
  const { log } = options;
  const context = options.context ?? github.context;
  const name = checkRunName(report.system);
  if (!options.enabled || context.eventName !== 'pull_request') return null;
  const headSha: unknown = context.payload.pull_request?.head?.sha;
  if (typeof headSha !== 'string' || headSha === '') {
    log.warning(`Check run ${name} not published: the pull_request event has no head commit.`);
    return null;
  }
  if (!options.token) {
    log.warning(`Check run ${name} not published: the github-token input is empty.`);
    return null;
  }

  const octokit = github.getOctokit(options.token, { baseUrl: context.apiUrl });
  const { owner, repo } = context.repo;
  const output = {
    title: truncate(report.title, 1000),
    summary: truncate(report.summary, MAX_OUTPUT_CHARS),
    ...(report.text ? { text: truncate(report.text, MAX_OUTPUT_CHARS) } : {}),
  };
  const batches = chunk(report.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  const done = { status: 'completed' as const, conclusion: report.conclusion };
  let id: number | null = null;
  try {
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name,
      head_sha: headSha,
      ...(batches.length > 1 ? { status: 'in_progress' as const } : done),
      output: { ...output, annotations: batches[0] ?? [] },
    });
    id = created.data.id;
    for (let i = 1; i < batches.length; i++) {
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...(i === batches.length - 1 ? done : {}),
        output: { ...output, annotations: batches[i] },
      });
    }
    log.info(`Published check run ${name} (id ${id}) on ${headSha}.`);
    return id;
  } catch (e) {
    if (id !== null) {
      // Never leave the pull request with a check that stays "in progress".
      const check_run_id = id;
      await octokit.rest.checks
        .update({ owner, repo, check_run_id, ...done, output })
        .catch(() => {});
      log.warning(
        `Check run ${name} (id ${id}) published without all its annotations: ${(e as Error).message}.`,
      );
      return id;
    }
    const status = (e as { status?: unknown }).status;
    const why =
      status === 403 || status === 404
        ? `the token cannot write check runs (HTTP ${status}); give the job \`permissions: checks: write\`, or set check-run: false (pull requests from forks never get write access)`
        : (e as Error).message;
    log.warning(`Check run ${name} not published: ${why}. The job summary has the same report.`);
    return null;
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function truncate(text: string, max: number): string {
  const note = '\n\n… (truncated; the full report is in the job summary)';
  return text.length <= max ? text : `${text.slice(0, max - note.length)}${note}`;
}
