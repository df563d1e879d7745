import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  METADATA_FILES
} from "./chunk-7FX4F3PX.js";
import {
  currentNixSystem
} from "./chunk-BVV6BGTK.js";
import "./chunk-NZOH6GOL.js";
import "./chunk-5EWROA6M.js";

// src/report/publish-reports.ts
async function publishReports(inputs, run, env, log) {
  const system = currentNixSystem();
  let artifactId = null;
  if (inputs.uploadArtifact) {
    const { uploadMetadataArtifact } = await import("./artifact-CO2O2DNX.js");
    artifactId = await uploadMetadataArtifact({
      metadataDir: inputs.metadataDir,
      system,
      log,
      exclude: [METADATA_FILES.xpyBuild]
    });
  }
  if (!inputs.checkRun || env.GITHUB_EVENT_NAME !== "pull_request") return { artifactId };
  const { checkRunTitle, failedStepAnnotations, publishCheckRun } = await import("./check-run-55ACCZDK.js");
  const failed = run.plan.steps.filter((s) => s.exit_code !== 0).length;
  await publishCheckRun(
    {
      system,
      conclusion: run.failure ? "failure" : "success",
      title: checkRunTitle({
        steps: run.plan.steps.length,
        failed,
        invocations: run.records.length
      }),
      summary: run.summary,
      annotations: failedStepAnnotations(run.plan.steps, env.GITHUB_WORKSPACE ?? inputs.sourceDir)
    },
    { token: inputs.githubToken, enabled: inputs.checkRun, log }
  );
  return { artifactId };
}
export {
  publishReports
};
