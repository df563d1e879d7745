// The action's reports beyond the job summary: metadata-dir as an artifact
// and, on pull requests, a check run. Both warn instead of failing: they are
// conveniences, not the build. Their clients (Azure storage, Octokit: most
// of the bundle) load only when a run uses them.
import type { Log } from '../log.js';
import { METADATA_FILES } from '../metadata/dir.js';
import { currentNixSystem } from '../nix/cli.js';
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
    const { uploadMetadataArtifact } = await import('./artifact.js');
    artifactId = await uploadMetadataArtifact({
      metadataDir: inputs.metadataDir,
      system,
      log,
      exclude: [METADATA_FILES.xpyBuild],
    });
  }
  // Check runs are made for pull requests only (publishCheckRun says so too).
  if (!inputs.checkRun || env.GITHUB_EVENT_NAME !== 'pull_request') return { artifactId };
  const { checkRunTitle, failedStepAnnotations, publishCheckRun } = await import('./check-run.js');
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
