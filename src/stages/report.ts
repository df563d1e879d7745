// The action's reports beyond the job summary: metadata-dir as an artifact
// and, on pull requests, a check run. Both warn instead of failing: they are
// conveniences, not the build.
import type { Log } from '../log.js';
import { uploadMetadataArtifact } from '../report/artifact.js';
import { checkRunTitle, failedStepAnnotations, publishCheckRun } from '../report/check-run.js';
import { currentNixSystem } from '../toolchain/resolve.js';
import type { Inputs, InvocationRecord, Plan } from '../types.js';

export interface Reported {
  plan: Plan;
  records: InvocationRecord[];
  summary: string;
  failure: string | null;
}

export async function publishReports(
  inputs: Inputs,
  run: Reported,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<{ artifactId: number | null }> {
  const system = currentNixSystem();
  let artifactId: number | null = null;
  if (inputs.uploadArtifact) {
    artifactId = await uploadMetadataArtifact({
      metadataDir: inputs.metadataDir,
      system,
      log,
      exclude: ['x.py-build'],
    });
  }
  const failed = run.plan.steps.filter((s) => s.exit_code !== 0).length;
  await publishCheckRun(
    {
      system,
      conclusion: run.failure ? 'failure' : 'success',
      title: checkRunTitle({
        steps: run.plan.steps.length,
        failed,
        invocations: run.records.length,
      }),
      summary: run.summary,
      annotations: failedStepAnnotations(run.plan.steps, env.GITHUB_WORKSPACE ?? inputs.sourceDir),
    },
    { token: inputs.githubToken, enabled: inputs.checkRun, log },
  );
  return { artifactId };
}
