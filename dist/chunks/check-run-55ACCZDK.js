import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  context,
  getOctokit
} from "./chunk-JDAY5END.js";
import "./chunk-JMLKYJGM.js";
import "./chunk-5EWROA6M.js";

// src/report/check-run.ts
var ANNOTATIONS_PER_REQUEST = 50;
var MAX_OUTPUT_CHARS = 65535;
function checkRunName(system) {
  return `rust-bootstrap-nix (${system})`;
}
function checkRunTitle(counts) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const failed = counts.failed > 0 ? `${counts.failed} failed, ` : "";
  return `${failed}${plural(counts.steps, "step")}, ${plural(counts.invocations, "invocation")}`;
}
function failedStepAnnotations(steps, workspace) {
  const inside = (path) => path.startsWith(`${workspace.replace(/\/+$/, "")}/`) ? path.slice(workspace.replace(/\/+$/, "").length + 1) : null;
  return steps.filter((s) => s.exit_code !== 0).map((s) => {
    const path = s.sources.map(inside).find((p) => p !== null) ?? inside(s.cwd) ?? ".";
    const how = s.exit_code === null ? "was killed" : `exited with ${s.exit_code}`;
    return {
      path,
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
      title: `${s.crate} (${s.kind}) failed`,
      message: `Step ${s.id}, the ${s.kind} of crate ${s.crate}, ${how}. Its output is in the job log.`
    };
  });
}
async function publishCheckRun(report, options) {
  try {
    return await publish(report, options);
  } catch (e) {
    options.log.warning(
      `Check run ${checkRunName(report.system)} not published: ${e.message}.`
    );
    return null;
  }
}
async function publish(report, options) {
  const { log } = options;
  const context2 = options.context ?? context;
  const name = checkRunName(report.system);
  if (!options.enabled || context2.eventName !== "pull_request") return null;
  const headSha = context2.payload.pull_request?.head?.sha;
  if (typeof headSha !== "string" || headSha === "") {
    log.warning(`Check run ${name} not published: the pull_request event has no head commit.`);
    return null;
  }
  if (!options.token) {
    log.warning(`Check run ${name} not published: the github-token input is empty.`);
    return null;
  }
  const octokit = getOctokit(options.token, { baseUrl: context2.apiUrl });
  const { owner, repo } = context2.repo;
  const output = {
    title: truncate(report.title, 1e3),
    summary: truncate(report.summary, MAX_OUTPUT_CHARS),
    ...report.text ? { text: truncate(report.text, MAX_OUTPUT_CHARS) } : {}
  };
  const batches = chunk(report.annotations ?? [], ANNOTATIONS_PER_REQUEST);
  const done = { status: "completed", conclusion: report.conclusion };
  let id = null;
  try {
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name,
      head_sha: headSha,
      ...batches.length > 1 ? { status: "in_progress" } : done,
      output: { ...output, annotations: batches[0] ?? [] }
    });
    id = created.data.id;
    for (let i = 1; i < batches.length; i++) {
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...i === batches.length - 1 ? done : {},
        output: { ...output, annotations: batches[i] }
      });
    }
    log.info(`Published check run ${name} (id ${id}) on ${headSha}.`);
    return id;
  } catch (e) {
    if (id !== null) {
      const check_run_id = id;
      await octokit.rest.checks.update({ owner, repo, check_run_id, ...done, output }).catch(() => {
      });
      log.warning(
        `Check run ${name} (id ${id}) published without all its annotations: ${e.message}.`
      );
      return id;
    }
    const status = e.status;
    const why = status === 403 || status === 404 ? `the token cannot write check runs (HTTP ${status}); give the job \`permissions: checks: write\`, or set check-run: false (pull requests from forks never get write access)` : e.message;
    log.warning(`Check run ${name} not published: ${why}. The job summary has the same report.`);
    return null;
  }
}
function chunk(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
function truncate(text, max) {
  const note = "\n\n\u2026 (truncated; the full report is in the job summary)";
  return text.length <= max ? text : `${text.slice(0, max - note.length)}${note}`;
}
export {
  ANNOTATIONS_PER_REQUEST,
  checkRunName,
  checkRunTitle,
  failedStepAnnotations,
  publishCheckRun
};
